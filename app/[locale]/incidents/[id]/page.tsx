import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Markdown } from "#components/markdown.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { Time } from "#components/time.tsx";
import { Timeline } from "#components/timeline.tsx";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { cachedIncidentPage } from "#lib/public/cached.ts";
import { localePath } from "#lib/core/locales.ts";
import { localeParam, pageAlternates } from "#lib/http/page-locale.ts";
import { translator } from "#lib/core/messages.ts";
import { impactMeta } from "#lib/core/statuses.ts";
import { formatDuration } from "#lib/core/time.ts";

/*
 * Incident pages are rendered on first request and then served from the route
 * cache (revalidated with the "public" tag). The build renders only a
 * placeholder id, which is not a public id, so it never reads the database.
 * Params are awaited outside any Suspense boundary so the first request waits
 * for the complete page (complete HTML without JavaScript, a real 404 status).
 */
export function generateStaticParams() {
  return [{ id: "placeholder" }];
}

async function load(params: Props["params"]) {
  const { id } = await params;
  return PUBLIC_ID.test(id) ? cachedIncidentPage(id) : null;
}

type Props = { params: Promise<{ locale: string; id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [locale, view] = await Promise.all([localeParam(params), load(params)]);
  const t = translator(locale, "page");
  if (!view) return { title: t("notFound.title") };
  return {
    title: t("incident.title", { incident: view.incident.name, page: view.page.name }),
    alternates: pageAlternates(locale, `/incidents/${view.incident.id}`, view.page),
  };
}

export default async function IncidentPage({ params }: Props) {
  const [locale, view] = await Promise.all([localeParam(params), load(params)]);
  if (!view) notFound();
  const { incident, timeline, page } = view;
  const zone = page.timeZone;
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  const path = (p: string) => localePath(locale, p, page.defaultLocale);
  const time = (date: Date, timeOnly = false) => <Time date={date} zone={zone} locale={locale} timeOnly={timeOnly} />;
  const { resolvedAt, postmortemPublishedAt } = incident;
  const impact = impactMeta[incident.impact];
  const isMaintenance = incident.kind === "maintenance";
  return (
    <SiteFrame page={page} locale={locale} path={`/incidents/${incident.id}`}>
      <article className="stack-lg">
        <header className="card incident-card stack" style={{ borderInlineStartColor: impact.color }}>
          <h1>
            <bdi>{incident.name}</bdi>
          </h1>
          <p className="meta">
            <span className="pill" style={{ borderColor: impact.color }}>
              {common(`impact.${isMaintenance ? "maintenance" : incident.impact}`)}
            </span>
            <span className="pill">{incident.cancelled ? t("incident.cancelled") : common(`updateStatus.${incident.status}`)}</span>
            <span className="muted">{incident.reference}</span>
          </p>
          <dl className="facts small">
            {isMaintenance && incident.scheduledFor && incident.scheduledUntil ? (
              <>
                <dt>{t("incident.window")}</dt>
                <dd>
                  {time(incident.scheduledFor)} – {time(incident.scheduledUntil)}
                </dd>
              </>
            ) : (
              <>
                <dt>{t("incident.started")}</dt>
                <dd>{time(incident.startedAt)}</dd>
                <dt>{resolvedAt ? t("incident.resolved") : t("incident.soFar")}</dt>
                <dd>
                  {resolvedAt
                    ? t.rich("incident.resolvedAt", {
                        time: () => time(resolvedAt),
                        duration: formatDuration(resolvedAt.getTime() - incident.startedAt.getTime(), locale),
                      })
                    : t("incident.ongoing")}
                </dd>
              </>
            )}
            {incident.components.length > 0 ? (
              <>
                <dt>{t("incident.affected")}</dt>
                <dd>{new Intl.ListFormat(locale).format(incident.components.map((c) => c.name))}</dd>
              </>
            ) : null}
            {incident.nextUpdateDueAt ? (
              <>
                <dt>{t("incident.nextUpdateBy")}</dt>
                <dd>{time(incident.nextUpdateDueAt, true)}</dd>
              </>
            ) : null}
          </dl>
        </header>
        {incident.postmortemHtml && postmortemPublishedAt ? (
          <section aria-labelledby="postmortem" className="card stack">
            <h2 id="postmortem">{common("updateStatus.postmortem")}</h2>
            <p className="muted small">{t.rich("incident.published", { time: () => time(postmortemPublishedAt) })}</p>
            <Markdown html={incident.postmortemHtml} />
          </section>
        ) : null}
        <section aria-labelledby="updates" className="stack">
          <h2 id="updates">{t("incident.updates")}</h2>
          <Timeline entries={timeline} zone={zone} locale={locale} />
        </section>
        <p>
          <Link href={path("/")}>{t("incident.currentStatus")}</Link> · <Link href={path("/history")}>{t("history.title")}</Link>
        </p>
      </article>
    </SiteFrame>
  );
}

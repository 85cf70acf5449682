import Link from "next/link";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { impactMeta } from "#lib/core/statuses.ts";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** An open incident or maintenance as `/` shows it: what, how bad, where, what next. */
export function IncidentCard({
  incident,
  zone,
  locale,
  defaultLocale,
}: {
  incident: IncidentSummary;
  zone: string;
  locale: Locale;
  defaultLocale: Locale;
}) {
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  const impact = impactMeta[incident.impact];
  const update = incident.latestUpdate;
  const headingId = `incident-${incident.id}`;
  const time = (date: Date, timeOnly = false) => () => <Time date={date} zone={zone} locale={locale} timeOnly={timeOnly} />;
  return (
    <article className="card incident-card" style={{ borderInlineStartColor: impact.color }} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link href={localePath(locale, `/incidents/${incident.id}`, defaultLocale)}>
          <bdi>{incident.name}</bdi>
        </Link>
      </h3>
      <p className="meta">
        <span className="pill" style={{ borderColor: impact.color }}>
          {common(`impact.${incident.kind === "maintenance" ? "maintenance" : incident.impact}`)}
        </span>
        <span className="pill">{common(`updateStatus.${incident.status}`)}</span>
        <span className="muted">{incident.reference}</span>
      </p>
      {incident.scheduledFor && incident.scheduledUntil ? (
        <p className="small">{t.rich("incident.scheduled", { start: time(incident.scheduledFor), end: time(incident.scheduledUntil) })}</p>
      ) : null}
      {update ? (
        <div className="latest-update">
          <p className="small">
            <strong>{common(`updateStatus.${update.status}`)}</strong> · <Time date={update.displayAt} zone={zone} locale={locale} />
          </p>
          <Markdown html={update.bodyHtml} />
        </div>
      ) : null}
      {incident.components.length > 0 ? (
        <p className="small">
          <span className="muted">{t("incident.affects")}</span> {new Intl.ListFormat(locale).format(incident.components.map((c) => c.name))}
        </p>
      ) : null}
      {incident.nextUpdateDueAt ? <p className="small next-update">{t.rich("incident.nextUpdate", { time: time(incident.nextUpdateDueAt, true) })}</p> : null}
    </article>
  );
}

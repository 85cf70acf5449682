import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Markdown } from "#components/markdown.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { Time } from "#components/time.tsx";
import { Timeline } from "#components/timeline.tsx";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { cachedIncidentPage } from "#lib/public/cached.ts";
import { impactMeta, updateStatusMeta } from "#lib/core/statuses.ts";
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

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const view = await load(params);
  if (!view) return { title: "Not found" };
  return { title: `${view.incident.name} · ${view.page.name} status` };
}

export default async function IncidentPage({ params }: Props) {
  const view = await load(params);
  if (!view) notFound();
  const { incident, timeline, page } = view;
  const zone = page.timeZone;
  const impact = impactMeta[incident.impact];
  const isMaintenance = incident.kind === "maintenance";
  return (
    <SiteFrame name={page.name} supportUrl={page.supportUrl} reportsEnabled={page.reportsEnabled}>
      <article className="stack-lg">
        <header className="card incident-card stack" style={{ borderLeftColor: impact.color }}>
          <h1>{incident.name}</h1>
          <p className="meta">
            <span className="pill" style={{ borderColor: impact.color }}>
              {isMaintenance ? "Maintenance" : `${impact.label} impact`}
            </span>
            <span className="pill">{incident.cancelled ? "Cancelled" : updateStatusMeta[incident.status].label}</span>
            <span className="muted">{incident.reference}</span>
          </p>
          <dl className="facts small">
            {isMaintenance && incident.scheduledFor && incident.scheduledUntil ? (
              <>
                <dt>Window</dt>
                <dd>
                  <Time date={incident.scheduledFor} zone={zone} /> – <Time date={incident.scheduledUntil} zone={zone} />
                </dd>
              </>
            ) : (
              <>
                <dt>Started</dt>
                <dd>
                  <Time date={incident.startedAt} zone={zone} />
                </dd>
                <dt>{incident.resolvedAt ? "Resolved" : "Duration so far"}</dt>
                <dd>
                  {incident.resolvedAt ? (
                    <>
                      <Time date={incident.resolvedAt} zone={zone} /> (lasted{" "}
                      {formatDuration(incident.resolvedAt.getTime() - incident.startedAt.getTime())})
                    </>
                  ) : (
                    "Ongoing"
                  )}
                </dd>
              </>
            )}
            {incident.components.length > 0 ? (
              <>
                <dt>Affected</dt>
                <dd>{incident.components.map((c) => c.name).join(", ")}</dd>
              </>
            ) : null}
            {incident.nextUpdateDueAt ? (
              <>
                <dt>Next update by</dt>
                <dd>
                  <Time date={incident.nextUpdateDueAt} zone={zone} timeOnly />
                </dd>
              </>
            ) : null}
          </dl>
        </header>
        {incident.postmortemHtml && incident.postmortemPublishedAt ? (
          <section aria-labelledby="postmortem" className="card stack">
            <h2 id="postmortem">Postmortem</h2>
            <p className="muted small">
              Published <Time date={incident.postmortemPublishedAt} zone={zone} />
            </p>
            <Markdown html={incident.postmortemHtml} />
          </section>
        ) : null}
        <section aria-labelledby="updates" className="stack">
          <h2 id="updates">Updates</h2>
          <Timeline entries={timeline} zone={zone} />
        </section>
        <p>
          <Link href="/">← Current status</Link> · <Link href="/history">Incident history</Link>
        </p>
      </article>
    </SiteFrame>
  );
}

import Link from "next/link";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { impactMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** An open incident or maintenance as `/` shows it: what, how bad, where, what next. */
export function IncidentCard({ incident, zone }: { incident: IncidentSummary; zone: string }) {
  const impact = impactMeta[incident.impact];
  const update = incident.latestUpdate;
  const headingId = `incident-${incident.id}`;
  return (
    <article className="card incident-card" style={{ borderLeftColor: impact.color }} aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link href={`/incidents/${incident.id}`}>{incident.name}</Link>
      </h3>
      <p className="meta">
        <span className="pill" style={{ borderColor: impact.color }}>
          {incident.kind === "maintenance" ? "Maintenance" : `${impact.label} impact`}
        </span>
        <span className="pill">{updateStatusMeta[incident.status].label}</span>
        <span className="muted">{incident.reference}</span>
      </p>
      {incident.scheduledFor && incident.scheduledUntil ? (
        <p className="small">
          Scheduled <Time date={incident.scheduledFor} zone={zone} /> – <Time date={incident.scheduledUntil} zone={zone} />
        </p>
      ) : null}
      {update ? (
        <div className="latest-update">
          <p className="small">
            <strong>{updateStatusMeta[update.status].label}</strong> · <Time date={update.displayAt} zone={zone} />
          </p>
          <Markdown html={update.bodyHtml} />
        </div>
      ) : null}
      {incident.components.length > 0 ? (
        <p className="small">
          <span className="muted">Affects:</span> {incident.components.map((c) => c.name).join(", ")}
        </p>
      ) : null}
      {incident.nextUpdateDueAt ? (
        <p className="small next-update">
          Next update by <Time date={incident.nextUpdateDueAt} zone={zone} timeOnly />
        </p>
      ) : null}
    </article>
  );
}

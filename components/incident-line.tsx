import Link from "next/link";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { impactMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { formatDuration } from "#lib/core/time.ts";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** A past incident or maintenance in a list: name, impact, latest update. */
export function IncidentLine({ incident, zone, level = 4 }: { incident: IncidentSummary; zone: string; level?: 3 | 4 }) {
  const Heading = level === 3 ? "h3" : "h4";
  const impact = impactMeta[incident.impact];
  const update = incident.latestUpdate;
  return (
    <article className="incident-line" style={{ borderLeftColor: impact.color }}>
      <Heading>
        <Link href={`/incidents/${incident.id}`}>{incident.name}</Link>
      </Heading>
      <p className="meta small">
        <span>{incident.kind === "maintenance" ? "Maintenance" : `${impact.label} impact`}</span>
        <span>{incident.cancelled ? "Cancelled" : updateStatusMeta[incident.status].label}</span>
        <span className="muted">{incident.reference}</span>
        {incident.kind === "incident" && incident.resolvedAt ? (
          <span className="muted">{`lasted ${formatDuration(incident.resolvedAt.getTime() - incident.startedAt.getTime())}`}</span>
        ) : null}
      </p>
      {update ? (
        <div className="small">
          <Markdown html={update.bodyHtml} />
          <p className="muted">
            <Time date={update.displayAt} zone={zone} />
          </p>
        </div>
      ) : null}
    </article>
  );
}

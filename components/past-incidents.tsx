import Link from "next/link";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { formatDay } from "#lib/core/time.ts";
import { IncidentLine } from "./incident-line.tsx";

/** The last days, newest first, each with its incidents or "No incidents reported." */
export function PastIncidents({ days, zone }: { days: { day: string; incidents: IncidentSummary[] }[]; zone: string }) {
  return (
    <section aria-labelledby="past-incidents" className="stack">
      <h2 id="past-incidents">Past incidents</h2>
      {days.map(({ day, incidents }) => (
        <div key={day} className="past-day">
          <h3>
            <time dateTime={day}>{formatDay(day)}</time>
          </h3>
          {incidents.length === 0 ? (
            <p className="muted small">No incidents reported.</p>
          ) : (
            incidents.map((incident) => <IncidentLine key={incident.id} incident={incident} zone={zone} />)
          )}
        </div>
      ))}
      <p>
        <Link href="/history">Incident history →</Link>
      </p>
    </section>
  );
}

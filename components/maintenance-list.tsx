import type { IncidentSummary } from "#lib/public/summaries.ts";
import { IncidentCard } from "./incident-card.tsx";

export function MaintenanceList({
  inProgress,
  upcoming,
  zone,
}: {
  inProgress: IncidentSummary[];
  upcoming: IncidentSummary[];
  zone: string;
}) {
  if (inProgress.length === 0 && upcoming.length === 0) return null;
  return (
    <>
      {inProgress.length > 0 ? (
        <section aria-labelledby="maintenance-now" className="stack">
          <h2 id="maintenance-now">Maintenance in progress</h2>
          {inProgress.map((m) => (
            <IncidentCard key={m.id} incident={m} zone={zone} />
          ))}
        </section>
      ) : null}
      {upcoming.length > 0 ? (
        <section aria-labelledby="maintenance-upcoming" className="stack">
          <h2 id="maintenance-upcoming">Scheduled maintenance</h2>
          {upcoming.map((m) => (
            <IncidentCard key={m.id} incident={m} zone={zone} />
          ))}
        </section>
      ) : null}
    </>
  );
}

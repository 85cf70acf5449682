import type { IncidentPageView } from "#lib/public/status-page.ts";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import { ChangeList } from "./change-list.tsx";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** An incident's updates, newest first, with the component changes each made. */
export function Timeline({ entries, zone }: { entries: IncidentPageView["timeline"]; zone: string }) {
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="timeline-entry" style={{ borderLeftColor: updateStatusMeta[entry.status].color }}>
          <h3>{updateStatusMeta[entry.status].label}</h3>
          <Markdown html={entry.bodyHtml} />
          <ChangeList changes={entry.changes} className="changes small" />
          <p className="muted small">
            <Time date={entry.displayAt} zone={zone} />
          </p>
        </li>
      ))}
    </ol>
  );
}

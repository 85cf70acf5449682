import type { TimelineEntry } from "#lib/public/status-page.ts";
import { componentStatusMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** An incident's updates, newest first, with the component changes each made. */
export function Timeline({ entries, zone }: { entries: TimelineEntry[]; zone: string }) {
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="timeline-entry" style={{ borderLeftColor: updateStatusMeta[entry.status].color }}>
          <h3>{updateStatusMeta[entry.status].label}</h3>
          <Markdown html={entry.bodyHtml} />
          {entry.changes.length > 0 ? (
            <ul className="changes small">
              {entry.changes.map((c) => (
                <li key={c.componentId}>
                  {c.oldStatus === c.newStatus
                    ? `${c.componentName}: ${componentStatusMeta[c.newStatus].label}`
                    : `${c.componentName}: ${componentStatusMeta[c.oldStatus].label} → ${componentStatusMeta[c.newStatus].label}`}
                </li>
              ))}
            </ul>
          ) : null}
          <p className="muted small">
            <Time date={entry.displayAt} zone={zone} />
          </p>
        </li>
      ))}
    </ol>
  );
}

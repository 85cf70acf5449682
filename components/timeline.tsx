import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { IncidentPageView } from "#lib/public/status-page.ts";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import { ChangeList } from "./change-list.tsx";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** An incident's updates, newest first, with the component changes each made. */
export function Timeline({ entries, zone, locale }: { entries: IncidentPageView["timeline"]; zone: string; locale: Locale }) {
  const common = translator(locale, "common");
  return (
    <ol className="timeline">
      {entries.map((entry) => (
        <li key={entry.id} className="timeline-entry" style={{ borderInlineStartColor: updateStatusMeta[entry.status].color }}>
          <h3>{common(`updateStatus.${entry.status}`)}</h3>
          <Markdown html={entry.bodyHtml} />
          <ChangeList changes={entry.changes} className="changes small" locale={locale} />
          <p className="muted small">
            <Time date={entry.displayAt} zone={zone} locale={locale} />
          </p>
        </li>
      ))}
    </ol>
  );
}

import { DEFAULT_LOCALE, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { ComponentChange } from "#lib/core/timeline.ts";

/**
 * The component changes an update made, a line each (the public timeline and the admin's, which stays English):
 * "API: Operational → Major outage", or "API: Major outage" when the update only named it. Nothing when it made none.
 */
export function ChangeList({ changes, className, locale = DEFAULT_LOCALE }: { changes: ComponentChange[]; className: string; locale?: Locale }) {
  if (changes.length === 0) return null;
  const t = translator(locale, "page");
  const status = translator(locale, "common");
  return (
    <ul className={className}>
      {changes.map((c) => (
        <li key={c.component_id}>
          {c.old_status === c.new_status
            ? t("change.named", { component: c.component_name, status: status(`componentStatus.${c.new_status}`) })
            : t("change.moved", { component: c.component_name, from: status(`componentStatus.${c.old_status}`), to: status(`componentStatus.${c.new_status}`) })}
        </li>
      ))}
    </ul>
  );
}

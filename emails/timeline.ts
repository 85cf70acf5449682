import { updateStatusMeta } from "#lib/core/statuses.ts";
import { formatDateTime, rfc3339 } from "#lib/core/time.ts";
import { changeLine } from "#lib/core/timeline.ts";
import type { MailIncident, MailPage, MailUpdate } from "./types.ts";

/*
 * The incident timeline as plain text: the attachment and the body of the
 * plain-text alternative. Short lines, no tables, so it reads on a phone.
 */
export function timelineFilename(incident: MailIncident): string {
  return `${incident.reference}-timeline.txt`;
}

/** When, in the page's zone with its UTC offset: "Nov 23, 2026, 14:05 GMT+1 (2026-11-23T14:05:00.000+01:00)". */
export function mailTime(date: Date, zone: string): string {
  return `${formatDateTime(date, zone)} (${rfc3339(date, zone)})`;
}

export function entryText(entry: MailUpdate, zone: string): string {
  const lines = [`${updateStatusMeta[entry.status].label} — ${mailTime(entry.display_at, zone)}`, "", entry.body.trim()];
  if (entry.changes.length > 0) lines.push("", ...entry.changes.map((c) => `  • ${changeLine(c)}`));
  return lines.join("\n");
}

/** Updates newest first, as in the emails. */
export function timelineText(page: MailPage, incident: MailIncident, updates: MailUpdate[], incidentUrl: string): string {
  const rule = "-".repeat(40);
  return [
    `${incident.reference}: ${incident.name}`,
    page.name,
    incidentUrl,
    `${updates.length} update${updates.length === 1 ? "" : "s"}, newest first. Times in ${page.timeZone}.`,
    "",
    ...updates.flatMap((u) => [rule, entryText(u, page.timeZone), ""]),
  ].join("\n");
}

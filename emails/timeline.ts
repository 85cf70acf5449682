import type { MailIncident, MailPage, MailUpdate } from "./types.ts";
import type { MailWords } from "./words.ts";

/*
 * The incident timeline as plain text: the attachment and the body of the
 * plain-text alternative. Short lines, no tables, so it reads on a phone.
 * Times are for people ("23 Nov 2026, 13:00 GMT+1"); the summary line names the zone.
 */
export function timelineFilename(incident: MailIncident): string {
  return `${incident.reference}-timeline.txt`;
}

export function entryText(entry: MailUpdate, words: MailWords): string {
  const lines = [`${words.updateStatus(entry.status)} — ${words.at(entry.display_at)}`, "", entry.body.trim()];
  if (entry.changes.length > 0) lines.push("", ...entry.changes.map((c) => `  • ${words.change(c)}`));
  return lines.join("\n");
}

/** Updates newest first, as in the emails. */
export function timelineText(page: MailPage, incident: MailIncident, updates: MailUpdate[], incidentUrl: string, words: MailWords): string {
  const rule = "-".repeat(40);
  return [
    `${incident.reference}: ${incident.name}`,
    page.name,
    incidentUrl,
    words.t("attachment.summary", { count: updates.length, zone: page.timeZone }),
    "",
    ...updates.flatMap((u) => [rule, entryText(u, words), ""]),
  ].join("\n");
}

import { createEvent } from "ics";
import type { MailIncident, MailPage } from "./types.ts";

function icsStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/*
 * The maintenance window as an iCalendar event: the UID is stable per
 * maintenance, SEQUENCE follows reschedules, and a cancellation is a CANCEL.
 * DTSTAMP is pinned to the update's time so a retried email is byte-identical
 * (the provider's idempotency check compares bodies).
 */
export function maintenanceIcs(page: MailPage, incident: MailIncident, incidentUrl: string, stamp: Date): string {
  const { error, value } = createEvent({
    productId: "candor/status",
    method: incident.cancelled ? "CANCEL" : "PUBLISH",
    uid: `${incident.id}@${new URL(page.url).host}`,
    sequence: incident.sequence,
    status: incident.cancelled ? "CANCELLED" : "CONFIRMED",
    title: `${page.name} maintenance: ${incident.name}`,
    description: `${incident.reference}: ${incidentUrl}`,
    url: incidentUrl,
    start: incident.scheduledFor!.getTime(),
    end: incident.scheduledUntil!.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    endInputType: "utc",
    endOutputType: "utc",
  });
  if (error || !value) throw error ?? new Error("calendar event could not be built");
  return value.replace(/^DTSTAMP:.*$/m, `DTSTAMP:${icsStamp(stamp)}`);
}

export function icsFilename(incident: MailIncident): string {
  return `${incident.reference}.ics`;
}

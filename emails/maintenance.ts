import { createEvent, type EventAttributes } from "ics";
import type { MailIncident, MailPage } from "./types.ts";

// ics accepts DTSTAMP as `timestamp` but its types omit it.
type EventWithStamp = EventAttributes & { timestamp: number };

/*
 * The maintenance window as an iCalendar event: the UID is stable per
 * maintenance and the same as in /maintenance.ics (lib/public/calendar.ts), so a
 * calendar that has both keeps one event; SEQUENCE follows reschedules, and a
 * cancellation is a CANCEL. DTSTAMP is pinned to the update's time so a
 * retried email is byte-identical (the provider's idempotency check compares bodies).
 * `title` is in the subscriber's language ("Wartung bei Acme: Datenbank-Upgrade").
 */
export function maintenanceIcs(page: MailPage, incident: MailIncident, incidentUrl: string, stamp: Date, title: string): string {
  const attributes: EventWithStamp = {
    productId: "candor/status",
    method: incident.cancelled ? "CANCEL" : "PUBLISH",
    uid: `maintenance-${incident.id}@${new URL(page.url).host}`,
    sequence: incident.sequence,
    status: incident.cancelled ? "CANCELLED" : "CONFIRMED",
    title,
    description: `${incident.reference}: ${incidentUrl}`,
    url: incidentUrl,
    start: incident.scheduledFor!.getTime(),
    end: incident.scheduledUntil!.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    endInputType: "utc",
    endOutputType: "utc",
    timestamp: stamp.getTime(),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw error ?? new Error("calendar event could not be built");
  return value;
}

export function icsFilename(incident: MailIncident): string {
  return `${incident.reference}.ics`;
}

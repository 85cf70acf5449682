import { createEvents, type EventAttributes } from "ics";
import { incidentUrl } from "#lib/core/page-url.ts";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import type { Snapshot, Timeline } from "./statuspage-v2.ts";

/*
 * Maintenance windows as an iCalendar feed (RFC 5545). The UID is stable per
 * maintenance and SEQUENCE is bumped by every reschedule or cancellation, so
 * calendar apps move or cancel the event they already have instead of
 * adding a second one.
 */

function host(s: Snapshot): string {
  return new URL(s.page.url).host;
}

export function maintenanceUid(s: Snapshot, t: Timeline): string {
  return `maintenance-${t.id}@${host(s)}`;
}

// ics accepts DTSTAMP as `timestamp` but its types omit it.
type EventWithStamp = EventAttributes & { timestamp: number };

function event(s: Snapshot, t: Timeline): EventWithStamp {
  const latest = t.updates[0];
  const names = t.componentIds.map((id) => s.components.find((c) => c.id === id)?.name).filter(Boolean);
  const description = [
    `Status: ${updateStatusMeta[t.status].label}${t.cancelled_at ? " (cancelled)" : ""}`,
    names.length ? `Components: ${names.join(", ")}` : null,
    latest ? latest.body : null,
  ]
    .filter(Boolean)
    .join("\n\n");
  return {
    uid: maintenanceUid(s, t),
    sequence: t.sequence,
    title: t.name,
    description,
    url: incidentUrl(s.page.url, t.id),
    start: t.scheduled_for!.getTime(),
    startInputType: "utc",
    startOutputType: "utc",
    end: t.scheduled_until!.getTime(),
    endInputType: "utc",
    endOutputType: "utc",
    status: t.cancelled_at ? "CANCELLED" : "CONFIRMED",
    created: t.created_at.getTime(),
    lastModified: t.updated_at.getTime(),
    // The revision time rather than "now", so an unchanged calendar keeps its bytes and its ETag.
    timestamp: t.updated_at.getTime(),
    classification: "PUBLIC",
    calName: `${s.page.name} maintenance`,
    productId: "candor/status",
  };
}

/** Every scheduled and recent maintenance (optionally only those touching one component). */
export function renderCalendar(s: Snapshot, componentId?: string): string {
  const events = s.maintenances.filter((t) => !componentId || t.componentIds.includes(componentId)).map((t) => event(s, t));
  const header = { calName: `${s.page.name} maintenance`, productId: "candor/status" };
  const { error, value } = createEvents(events, header);
  if (error || !value) throw error ?? new Error("calendar rendering failed");
  return value;
}

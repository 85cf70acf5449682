import { z } from "zod";
import type { Db } from "#db/client.ts";
import { AppError } from "#lib/core/errors.ts";
import { dateField } from "#lib/core/forms.ts";
import { computeUptime } from "#lib/core/uptime.ts";
import { addDays, dayKey, rfc3339, startOfDay } from "#lib/core/time.ts";
import type { PublicComponent } from "#lib/public/statuspage-v2.ts";
import { optional, parseQuery } from "./bodies.ts";

/*
 * …/components/{id}/uptime: Statuspage's ComponentUptime over calendar
 * days in the page's zone, with the same arithmetic as the page's uptime
 * bars (lib/core/uptime.ts: a partial outage counts 30 %). As Statuspage
 * does, a range is clipped to what can be measured (the component's start,
 * today, at most six months) and the clipping is said in `warnings`.
 */

export const uptimeQuery = z.object({ range_start: optional(dateField), range_end: optional(dateField) });
const MAX_DAYS = 183;

export async function readUptime(db: Db, c: PublicComponent, zone: string, query: URLSearchParams) {
  const q = parseQuery(uptimeQuery, query);
  const warnings: string[] = [];
  const today = dayKey(new Date(), zone);
  let end = q.range_end ?? today;
  if (end > today) {
    end = today;
    warnings.push("range_end is in the future: today is used.");
  }
  let start = q.range_start ?? addDays(end, -89);
  if (start > end) throw new AppError("bad_request", "invalid query parameters", { issues: [{ field: "range_start", message: "is after range_end" }] });
  if (dayCount(start, end) > MAX_DAYS) {
    start = addDays(end, -(MAX_DAYS - 1));
    warnings.push("The range is at most six months: range_start was moved.");
  }
  const tracked = c.start_date ?? dayKey(c.created_at, zone);
  if (start < tracked && tracked <= end) {
    start = tracked;
    warnings.push("range_start is before the component existed: its start date is used.");
  }
  // The last instant measured: the end of range_end's day, or now.
  const now = new Date(Math.min(Date.now(), startOfDay(addDays(end, 1), zone).getTime() - 1));
  const changes = await db
    .selectFrom("component_status_changes")
    .select(["status", "at"])
    .where("component_id", "=", c.id)
    .where("at", "<=", now)
    .orderBy("at")
    .orderBy("id")
    .execute();
  const uptime = computeUptime({ changes, startDate: c.start_date, createdAt: c.created_at, now, zone, days: dayCount(start, end) });
  const seconds = (key: "majorOutageMinutes" | "partialOutageMinutes") => Math.round(uptime.days.reduce((sum, d) => sum + d[key], 0) * 60);
  const from = startOfDay(start, zone);
  const related = await db
    .selectFrom("incidents")
    .innerJoin("incident_components", "incident_components.incident_id", "incidents.id")
    .select("incidents.id")
    .where("incident_components.component_id", "=", c.id)
    .where("incidents.kind", "=", "incident")
    .where("incidents.started_at", "<=", now)
    .where((eb) => eb.or([eb("incidents.resolved_at", "is", null), eb("incidents.resolved_at", ">=", from)]))
    .orderBy("incidents.started_at")
    .execute();
  return {
    range_start: rfc3339(from, zone),
    range_end: rfc3339(now, zone),
    uptime_percentage: uptime.ratio === null ? null : Math.floor(uptime.ratio * 10_000) / 100,
    major_outage: seconds("majorOutageMinutes"),
    partial_outage: seconds("partialOutageMinutes"),
    warnings: warnings.length ? warnings.join(" ") : null,
    id: c.id,
    name: c.name,
    related_events: related.map((r) => ({ id: r.id })),
  };
}

function dayCount(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
}

import type { Db } from "#db/client.ts";
import type { ComponentStatus } from "#db/schema.ts";
import { dayKey } from "#lib/core/time.ts";
import { computeUptime, PARTIAL_OUTAGE_WEIGHT, uptimeCalendar, type UptimeDay } from "#lib/core/uptime.ts";
import { listComponents } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { statusChanges } from "#lib/domain/uptime-rollups.ts";
import { incidentSpans } from "./status-page.ts";
import { pageInfo, type PageInfo } from "./summaries.ts";

/*
 * /uptime: each component's availability per calendar month, this month and
 * the eleven before, with each day's worst status and the incidents behind
 * it. Days and months are the page zone's; a month's figure is the uptime
 * formula (lib/core/uptime.ts) over its days. One component at a time (as
 * Statuspage's): the components are those with uptime bars on `/`
 * (showcase), in page order, the first shown unless another is asked for.
 */
export const UPTIME_MONTHS = 12;

export interface UptimeCalendarDay {
  day: string;
  worst: ComponentStatus | null;
  /** Rounded minutes. */
  majorOutageMinutes: number;
  partialOutageMinutes: number;
  incidents: { id: string; name: string }[];
}

export interface UptimeMonth {
  /** YYYY-MM. */
  month: string;
  availability: number | null;
  days: UptimeCalendarDay[];
}

export interface UptimePageView {
  page: PageInfo;
  /** The picker's choices, in page order. */
  components: { id: string; name: string }[];
  /** null: no component to show. */
  shown: { id: string; name: string; months: UptimeMonth[] } | null;
}

/** The first day of the month `n` months before `day`'s. */
function monthsBefore(day: string, n: number): string {
  const [year, month] = day.split("-").map(Number);
  const index = year * 12 + (month - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

/** `componentId` picks the component shown; an unknown one shows the first. */
export async function uptimePage(db: Db, componentId: string | null, now = new Date()): Promise<UptimePageView> {
  const page = await getPage(db);
  const zone = page.time_zone;
  const today = dayKey(now, zone);
  const first = monthsBefore(today, UPTIME_MONTHS - 1);
  const count = Math.round((Date.parse(today) - Date.parse(first)) / 86_400_000) + 1;
  const calendar = uptimeCalendar(now, zone, count);
  const windowStart = calendar.days[0].start;
  const components = (await listComponents(db)).filter((c) => c.showcase);
  const c = components.find((x) => x.id === componentId) ?? components[0];
  const choices = components.map((x) => ({ id: x.id, name: x.name }));
  if (!c) return { page: pageInfo(page), components: choices, shown: null };
  const [changes, spans] = await Promise.all([
    statusChanges(db, [{ id: c.id, since: windowStart }], now),
    incidentSpans(db, new Date(windowStart), now),
  ]);
  const uptime = computeUptime({
    changes: changes.get(c.id) ?? [],
    startDate: c.start_date,
    createdAt: c.created_at,
    now,
    zone,
    calendar,
    incidents: spans.get(c.id) ?? [],
  });
  return { page: pageInfo(page), components: choices, shown: { id: c.id, name: c.name, months: byMonth(uptime.days) } };
}

function byMonth(days: readonly UptimeDay[]): UptimeMonth[] {
  const months: UptimeMonth[] = [];
  const totals: { counted: number; down: number }[] = [];
  for (const d of days) {
    const month = d.day.slice(0, 7);
    if (months.at(-1)?.month !== month) {
      months.push({ month, availability: null, days: [] });
      totals.push({ counted: 0, down: 0 });
    }
    months.at(-1)!.days.push({
      day: d.day,
      worst: d.worst,
      majorOutageMinutes: Math.round(d.majorOutageMinutes),
      partialOutageMinutes: Math.round(d.partialOutageMinutes),
      incidents: d.incidents.map((i) => ({ id: i.id, name: i.name })),
    });
    const total = totals.at(-1)!;
    total.counted += d.countedMinutes;
    total.down += d.majorOutageMinutes + PARTIAL_OUTAGE_WEIGHT * d.partialOutageMinutes;
  }
  months.forEach((m, i) => (m.availability = totals[i].counted > 0 ? Math.max(0, 1 - totals[i].down / totals[i].counted) : null));
  return months;
}

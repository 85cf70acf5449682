import type { ComponentStatus, Impact } from "#db/schema.ts";
import type { Locale } from "./locales.ts";
import { componentStatusMeta } from "./statuses.ts";
import { addDays, dayKey, startOfDay } from "./time.ts";

/*
 * Uptime from recorded status history (a pure function: the read model
 * fetches the rows, this does the arithmetic).
 *
 * Formula, per component over the window (90 days by default):
 *
 *   uptime = 1 − (major_outage minutes + 0.3 × partial_outage minutes) / counted minutes
 *
 * - a major_outage minute counts fully down; a partial_outage minute counts
 *   30 % down (Statuspage's weighting); degraded_performance and
 *   under_maintenance count as up (the service answers; maintenance is announced);
 * - counted minutes exclude time before the component's start_date (start of
 *   that day in the page's zone) or, without one, before its creation, and
 *   time after `now`;
 * - days are calendar days in the page's time zone, so DST days last 23 or 25 h;
 * - a day's colour is the worst status seen during it (the group rollup order
 *   of lib/core/statuses.ts); a day with nothing counted has no status.
 */
export const PARTIAL_OUTAGE_WEIGHT = 0.3;
export const UPTIME_DAYS = 90;

export interface StatusChangePoint {
  status: ComponentStatus;
  at: Date;
}

export interface IncidentSpan {
  id: string;
  name: string;
  impact: Impact;
  from: Date;
  /** null while the incident is still open. */
  to: Date | null;
}

export interface UptimeDay {
  day: string;
  /** Worst status during the counted part of the day; null when nothing was counted. */
  worst: ComponentStatus | null;
  countedMinutes: number;
  majorOutageMinutes: number;
  partialOutageMinutes: number;
  incidents: { id: string; name: string; impact: Impact }[];
}

export interface UptimeInput {
  /**
   * Status changes in ascending time order. Include the last change before
   * the window so the status at the window's start is known; before the first
   * change the component counts as operational.
   */
  changes: readonly StatusChangePoint[];
  /** YYYY-MM-DD; days before it are not counted. */
  startDate: string | null;
  createdAt: Date;
  now: Date;
  zone: string;
  days?: number;
  incidents?: readonly IncidentSpan[];
  /** The window's days, `uptimeCalendar(now, zone, days)`; shared by every component of a page. */
  calendar?: UptimeCalendar;
  /**
   * Figures already known for the window's first days (complete days, e.g.
   * from a rollup): those days are taken as given, so `changes` need only
   * start with the last change before the first day not known.
   */
  knownDays?: readonly DayFigures[];
}

/** A day's figures without its label and incidents: what a rollup stores. */
export type DayFigures = Pick<UptimeDay, "worst" | "countedMinutes" | "majorOutageMinutes" | "partialOutageMinutes">;

export interface Uptime {
  days: UptimeDay[];
  /** Fraction in [0, 1]; null when no minute of the window is counted. */
  ratio: number | null;
}

export interface CalendarDay {
  day: string;
  /** Epoch ms of the day's start and of the next day's start, in the page's zone. */
  start: number;
  end: number;
}

export interface UptimeCalendar {
  zone: string;
  days: readonly CalendarDay[];
}

const MINUTE = 60_000;

/*
 * The window's calendar days ending with `now`'s day, found once per page
 * and zone (each day boundary costs two Intl lookups) and remembered for
 * the last few (today, zone, count) asked for.
 */
const calendars = new Map<string, UptimeCalendar>();

export function uptimeCalendar(now: Date, zone: string, count = UPTIME_DAYS): UptimeCalendar {
  const today = dayKey(now, zone);
  const key = `${zone} ${today} ${count}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    const first = addDays(today, -(count - 1));
    const starts = Array.from({ length: count + 1 }, (_, i) => addDays(first, i));
    const ms = starts.map((day) => startOfDay(day, zone).getTime());
    calendar = { zone, days: Object.freeze(starts.slice(0, count).map((day, i) => Object.freeze({ day, start: ms[i], end: ms[i + 1] }))) };
    if (calendars.size >= 8) calendars.delete(calendars.keys().next().value!);
    calendars.set(key, calendar);
  }
  return calendar;
}

export function computeUptime(input: UptimeInput): Uptime {
  const calendar = input.calendar ?? uptimeCalendar(input.now, input.zone, input.days ?? UPTIME_DAYS);
  const nowMs = input.now.getTime();
  const trackedFrom = input.startDate ? startOfDayMs(input.startDate, calendar) : input.createdAt.getTime();
  const changes = inOrder(input.changes);
  const known = input.knownDays ?? [];
  const incidents = (input.incidents ?? []).map((i) => ({ ...i, fromMs: i.from.getTime(), toMs: i.to?.getTime() ?? nowMs }));

  let counted = 0;
  let down = 0;
  const days: UptimeDay[] = [];
  // Walks the change list once: `next` is the first change not yet in effect.
  let next = 0;
  let status: ComponentStatus = "operational";

  for (let i = 0; i < calendar.days.length; i++) {
    const { day, start: dayStart } = calendar.days[i];
    const dayEnd = Math.min(calendar.days[i].end, nowMs);
    const entry: UptimeDay = {
      day,
      worst: null,
      countedMinutes: 0,
      majorOutageMinutes: 0,
      partialOutageMinutes: 0,
      incidents: incidentsOverlapping(incidents, dayStart, dayEnd),
    };
    if (i < known.length) {
      entry.worst = known[i].worst;
      entry.countedMinutes = known[i].countedMinutes;
      entry.majorOutageMinutes = known[i].majorOutageMinutes;
      entry.partialOutageMinutes = known[i].partialOutageMinutes;
    } else {
      const from = Math.max(dayStart, trackedFrom);
      while (next < changes.length && changes[next].at.getTime() <= from) status = changes[next++].status;
      if (from < dayEnd) {
        let worst = status;
        let cursor = from;
        let major = 0;
        let partial = 0;
        // Each span [cursor, until) counts under the status in effect during it.
        for (;;) {
          const until = next < changes.length ? Math.min(changes[next].at.getTime(), dayEnd) : dayEnd;
          if (status === "major_outage") major += (until - cursor) / MINUTE;
          if (status === "partial_outage") partial += (until - cursor) / MINUTE;
          cursor = until;
          if (until === dayEnd) break;
          status = changes[next++].status;
          if (componentStatusMeta[status].rank > componentStatusMeta[worst].rank) worst = status;
        }
        entry.majorOutageMinutes = major;
        entry.partialOutageMinutes = partial;
        entry.countedMinutes = (dayEnd - from) / MINUTE;
        entry.worst = worst;
      }
    }
    counted += entry.countedMinutes;
    down += entry.majorOutageMinutes + PARTIAL_OUTAGE_WEIGHT * entry.partialOutageMinutes;
    days.push(entry);
  }
  return { days, ratio: counted > 0 ? Math.max(0, 1 - down / counted) : null };
}

/** The changes as given when already ascending (the read model's order), else a sorted copy. */
function inOrder(changes: readonly StatusChangePoint[]): readonly StatusChangePoint[] {
  for (let i = 1; i < changes.length; i++) {
    if (changes[i].at.getTime() < changes[i - 1].at.getTime()) return [...changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  }
  return changes;
}

/** A start_date's first instant: from the calendar when inside the window. */
function startOfDayMs(day: string, calendar: UptimeCalendar): number {
  return calendar.days.find((d) => d.day === day)?.start ?? startOfDay(day, calendar.zone).getTime();
}

function incidentsOverlapping(incidents: readonly (IncidentSpan & { fromMs: number; toMs: number })[], dayStart: number, dayEnd: number) {
  const overlapping: UptimeDay["incidents"] = [];
  for (const incident of incidents) {
    // An instant incident (resolved when declared) still belongs to its day.
    if (incident.fromMs < dayEnd && (incident.toMs > dayStart || incident.fromMs >= dayStart)) {
      overlapping.push({ id: incident.id, name: incident.name, impact: incident.impact });
    }
  }
  return overlapping;
}

/** "99.95%" (en), "99,95 %" (de): two decimals, never rounded up to 100 while any downtime exists. */
export function formatUptime(ratio: number, locale: Locale = "en"): string {
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.floor(ratio * 10_000) / 10_000);
}

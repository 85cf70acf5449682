import type { ComponentStatus, Impact } from "../db/schema.ts";
import { worstComponentStatus } from "./statuses.ts";
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
 *   of lib/statuses.ts); a day with nothing counted has no status.
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
}

export interface Uptime {
  days: UptimeDay[];
  /** Fraction in [0, 1]; null when no minute of the window is counted. */
  ratio: number | null;
}

const MINUTE = 60_000;

export function computeUptime(input: UptimeInput): Uptime {
  const count = input.days ?? UPTIME_DAYS;
  const today = dayKey(input.now, input.zone);
  const trackedFrom = input.startDate ? startOfDay(input.startDate, input.zone) : input.createdAt;
  const nowMs = input.now.getTime();
  const changes = [...input.changes].sort((a, b) => a.at.getTime() - b.at.getTime());

  let counted = 0;
  let down = 0;
  const days: UptimeDay[] = [];
  // Walks the change list once: `next` is the first change not yet in effect.
  let next = 0;
  let status: ComponentStatus = "operational";

  for (let i = count - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    const dayStart = dayStartMs(day, input.zone);
    const dayEnd = Math.min(dayStartMs(addDays(day, 1), input.zone), nowMs);
    const from = Math.max(dayStart, trackedFrom.getTime());

    while (next < changes.length && changes[next].at.getTime() <= from) status = changes[next++].status;

    const entry: UptimeDay = {
      day,
      worst: null,
      countedMinutes: 0,
      majorOutageMinutes: 0,
      partialOutageMinutes: 0,
      incidents: incidentsOverlapping(input.incidents ?? [], dayStart, dayEnd, nowMs),
    };
    if (from < dayEnd) {
      const seen: ComponentStatus[] = [status];
      let cursor = from;
      const addSpan = (until: number) => {
        const minutes = (until - cursor) / MINUTE;
        if (status === "major_outage") entry.majorOutageMinutes += minutes;
        if (status === "partial_outage") entry.partialOutageMinutes += minutes;
        cursor = until;
      };
      while (next < changes.length && changes[next].at.getTime() < dayEnd) {
        addSpan(changes[next].at.getTime());
        status = changes[next++].status;
        seen.push(status);
      }
      addSpan(dayEnd);
      entry.countedMinutes = (dayEnd - from) / MINUTE;
      entry.worst = worstComponentStatus(seen);
      counted += entry.countedMinutes;
      down += entry.majorOutageMinutes + PARTIAL_OUTAGE_WEIGHT * entry.partialOutageMinutes;
    }
    days.push(entry);
  }
  return { days, ratio: counted > 0 ? Math.max(0, 1 - down / counted) : null };
}

/*
 * Day boundaries repeat for every component on the page; finding one costs
 * two Intl lookups, so they are remembered (bounded: a few pages' worth).
 */
const dayStarts = new Map<string, number>();

function dayStartMs(day: string, zone: string): number {
  const key = `${zone} ${day}`;
  let ms = dayStarts.get(key);
  if (ms === undefined) {
    if (dayStarts.size > 5_000) dayStarts.clear();
    ms = startOfDay(day, zone).getTime();
    dayStarts.set(key, ms);
  }
  return ms;
}

function incidentsOverlapping(incidents: readonly IncidentSpan[], dayStart: number, dayEnd: number, nowMs: number) {
  return incidents
    .filter((incident) => {
      const end = incident.to?.getTime() ?? nowMs;
      // An instant incident (resolved when declared) still belongs to its day.
      return incident.from.getTime() < dayEnd && (end > dayStart || incident.from.getTime() >= dayStart);
    })
    .map(({ id, name, impact }) => ({ id, name, impact }));
}

/** "99.95%": two decimals, never rounded up to 100 while any downtime exists. */
export function formatUptime(ratio: number | null): string {
  if (ratio === null) return "No data";
  const percent = Math.floor(ratio * 10_000) / 100;
  return `${percent.toFixed(2)}%`;
}

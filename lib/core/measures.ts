import type { Impact, Severity, SeverityTargets } from "#db/schema.ts";
import { minutesBetween, milestones, tallyPromises, type IncidentFacts } from "./milestones.ts";
import { IMPACTS, SEVERITIES } from "./statuses.ts";
import { addDays, startOfDay } from "./time.ts";
import { computeUptime, PARTIAL_OUTAGE_WEIGHT, uptimeCalendar, type StatusChangePoint } from "./uptime.ts";

/*
 * The reliability report's figures for one period (pure; every formula is in
 * docs/measures.md). Maintenance never enters an incident measure: it comes
 * in separately and only as maintenance minutes.
 */

/** Whole days in the page's zone: [firstDay, endDay). */
export interface Period {
  firstDay: string;
  /** The day after the last day. */
  endDay: string;
}

export interface ComponentHistory {
  id: string;
  name: string;
  changes: readonly StatusChangePoint[];
  startDate: string | null;
  createdAt: Date;
}

export interface MaintenanceSpan {
  id: string;
  componentIds: readonly string[];
  /** When it went in progress (its first in-progress update). */
  from: Date;
  /** When it completed; null while under way. */
  to: Date | null;
}

export interface MeasureInput {
  period: Period;
  zone: string;
  /** Time of the report: open incidents and the current period are measured up to it. */
  now: Date;
  /** Every incident that may matter: overlapping the period, or started up to 30 days before it (repeats). */
  incidents: readonly IncidentFacts[];
  maintenance: readonly MaintenanceSpan[];
  components: readonly ComponentHistory[];
  targets: Record<Severity, SeverityTargets>;
  /** Only this component's incidents, maintenance and availability. */
  componentId?: string;
}

export interface Spread {
  count: number;
  /** Minutes; null when nothing was measured. */
  median: number | null;
  p90: number | null;
}

export interface DurationFigures extends Spread {
  bySeverity: Record<Severity, Spread & { target: number | null; withinTarget: number | null }>;
}

export const DURATION_KINDS = ["acknowledge", "firstUpdate", "mitigate", "resolve"] as const;
export type DurationKind = (typeof DURATION_KINDS)[number];

export type IncidentImpact = Exclude<Impact, "maintenance">;

export interface PeriodFigures {
  period: Period;
  from: Date;
  to: Date;
  incidents: { total: number; open: number; backfilled: number; bySeverity: Record<Severity, number>; byImpact: Record<IncidentImpact, number> };
  durations: Record<DurationKind, DurationFigures>;
  /** Hours; null without an incident. */
  mtbfHours: number | null;
  customerImpactHours: number;
  /** Fraction in [0, 1] by the uptime formula; null when no minute was counted. */
  availability: number | null;
  longest: { id: string; reference: string; name: string; minutes: number; open: boolean } | null;
  maintenanceMinutes: number;
  promises: { kept: number; missed: number; keptShare: number | null };
  postmortems: { due: number; onTime: number; late: number; outstanding: number };
  repeats: { count: number; share: number | null };
}

/** Customer impact hours weigh each hour by the incident's impact. */
export const IMPACT_WEIGHTS: Record<IncidentImpact, number> = { critical: 1, major: 0.5, minor: 0.25, none: 0 };
export const REPEAT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** A calendar month, "2026-03", as a period. */
export function monthPeriod(month: string): Period {
  const [year, m] = month.split("-").map(Number);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, "0")}`;
  return { firstDay: `${month}-01`, endDay: `${next}-01` };
}

/** The period before: the previous month for a calendar month, else as many days just before. */
export function previousPeriod(period: Period): Period {
  if (period.firstDay.endsWith("-01") && monthPeriod(period.firstDay.slice(0, 7)).endDay === period.endDay) {
    const [year, m] = period.firstDay.split("-").map(Number);
    return monthPeriod(m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, "0")}`);
  }
  return { firstDay: addDays(period.firstDay, -dayCount(period)), endDay: period.firstDay };
}

export function dayCount(period: Period): number {
  return Math.round((Date.parse(`${period.endDay}T00:00:00Z`) - Date.parse(`${period.firstDay}T00:00:00Z`)) / DAY_MS);
}

/** Linear interpolation between closest ranks (R type 7, numpy's default): the median is p = 0.5. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function spread(values: readonly number[]): Spread {
  return { count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) };
}

/** Length of [a, b) inside [from, to), in minutes. */
function overlapMinutes(a: number, b: number, from: number, to: number): number {
  return Math.max(0, Math.min(b, to) - Math.max(a, from)) / 60_000;
}

export function measurePeriod(input: MeasureInput): PeriodFigures {
  const { period, zone, now, targets, componentId } = input;
  const fromMs = startOfDay(period.firstDay, zone).getTime();
  const toMs = startOfDay(period.endDay, zone).getTime();
  // The part of the period already lived: a current month is measured up to now.
  const untilMs = Math.max(fromMs, Math.min(toMs, now.getTime()));
  const concerned = componentId ? input.incidents.filter((i) => i.componentIds.includes(componentId)) : input.incidents;
  const started = concerned.filter((i) => i.startedAt.getTime() >= fromMs && i.startedAt.getTime() < toMs);

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byImpact = Object.fromEntries(IMPACTS.map((s) => [s, 0])) as Record<IncidentImpact, number>;
  for (const i of started) {
    bySeverity[i.severity]++;
    if (i.impact !== "maintenance") byImpact[i.impact]++;
  }

  // Impact spans [started, mitigated-or-resolved), open ones running to now; overlapping incidents each count.
  let impactHours = 0;
  const outages: [number, number][] = [];
  for (const i of concerned) {
    const m = milestones(i);
    const begin = i.startedAt.getTime();
    const end = (m.mitigated ?? now).getTime();
    if (i.impact !== "maintenance") impactHours += (overlapMinutes(begin, end, fromMs, untilMs) / 60) * IMPACT_WEIGHTS[i.impact];
    outages.push([begin, (m.resolved ?? now).getTime()]);
  }

  return {
    period,
    from: new Date(fromMs),
    to: new Date(toMs),
    incidents: {
      total: started.length,
      open: started.filter((i) => !i.resolvedAt).length,
      backfilled: started.filter((i) => i.backfilled).length,
      bySeverity,
      byImpact,
    },
    durations: durations(started, targets),
    mtbfHours: started.length ? (untilMs - fromMs - unionMs(outages, fromMs, untilMs)) / 3_600_000 / started.length : null,
    customerImpactHours: impactHours,
    availability: availability(input, fromMs, untilMs),
    longest: longest(started, now),
    maintenanceMinutes: input.maintenance
      .filter((m) => !componentId || m.componentIds.includes(componentId))
      .reduce((sum, m) => sum + overlapMinutes(m.from.getTime(), (m.to ?? now).getTime(), fromMs, untilMs), 0),
    promises: promises(concerned, now, new Date(fromMs), new Date(toMs)),
    postmortems: postmortems(concerned, targets, fromMs, toMs),
    repeats: repeats(started, concerned),
  };
}

/** Each time-to in minutes, or null when not reached (or, for response times, when backfilled). */
export function durationsOf(i: IncidentFacts): Record<DurationKind, number | null> {
  const m = milestones(i);
  const since = (to: Date | null) => (to ? minutesBetween(m.detected, to) : null);
  return {
    acknowledge: i.backfilled ? null : since(m.acknowledged),
    firstUpdate: i.backfilled ? null : since(m.firstPublicUpdate),
    mitigate: since(m.mitigated),
    resolve: since(m.resolved),
  };
}

const DURATION_TARGETS: Record<DurationKind, keyof SeverityTargets | null> = {
  acknowledge: "acknowledge",
  firstUpdate: "firstUpdate",
  mitigate: null,
  resolve: "resolve",
};

function durations(started: readonly IncidentFacts[], targets: Record<Severity, SeverityTargets>): Record<DurationKind, DurationFigures> {
  const measured = started.map((i) => ({ severity: i.severity, d: durationsOf(i) }));
  return Object.fromEntries(
    DURATION_KINDS.map((kind) => {
      const values = (severity?: Severity) =>
        measured.filter((x) => x.d[kind] !== null && (!severity || x.severity === severity)).map((x) => x.d[kind]!);
      const bySeverity = Object.fromEntries(
        SEVERITIES.map((s) => {
          const list = values(s);
          const targetKind = DURATION_TARGETS[kind];
          const target = targetKind ? targets[s][targetKind] : null;
          return [s, { ...spread(list), target, withinTarget: target === null || !list.length ? null : list.filter((v) => v <= target).length / list.length }];
        }),
      );
      return [kind, { ...spread(values()), bySeverity }];
    }),
  ) as Record<DurationKind, DurationFigures>;
}

/** Minutes of [from, to) covered by at least one span, in ms. */
function unionMs(spans: [number, number][], from: number, to: number): number {
  const clipped = spans
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [cursorStart, cursorEnd] = [Number.NaN, Number.NaN];
  for (const [a, b] of clipped) {
    if (!(a <= cursorEnd)) {
      if (cursorEnd > cursorStart) total += cursorEnd - cursorStart;
      [cursorStart, cursorEnd] = [a, b];
    } else cursorEnd = Math.max(cursorEnd, b);
  }
  if (cursorEnd > cursorStart) total += cursorEnd - cursorStart;
  return total;
}

/** The uptime formula (lib/core/uptime.ts) over the period's days, pooled over the components: 1 − Σ down / Σ counted. */
function availability(input: MeasureInput, fromMs: number, untilMs: number): number | null {
  const components = input.componentId ? input.components.filter((c) => c.id === input.componentId) : input.components;
  const days = dayCount(input.period);
  if (days <= 0 || untilMs <= fromMs) return null;
  const calendar = uptimeCalendar(new Date(startOfDay(input.period.endDay, input.zone).getTime() - 1), input.zone, days);
  let counted = 0;
  let down = 0;
  for (const c of components) {
    const uptime = computeUptime({ changes: c.changes, startDate: c.startDate, createdAt: c.createdAt, now: new Date(untilMs), zone: input.zone, calendar });
    for (const d of uptime.days) {
      counted += d.countedMinutes;
      down += d.majorOutageMinutes + PARTIAL_OUTAGE_WEIGHT * d.partialOutageMinutes;
    }
  }
  return counted > 0 ? Math.max(0, 1 - down / counted) : null;
}

function longest(started: readonly IncidentFacts[], now: Date): PeriodFigures["longest"] {
  let best: PeriodFigures["longest"] = null;
  for (const i of started) {
    const minutes = minutesBetween(i.startedAt, i.resolvedAt ?? now);
    if (!best || minutes > best.minutes) best = { id: i.id, reference: i.reference, name: i.name, minutes, open: !i.resolvedAt };
  }
  return best;
}

function promises(incidents: readonly IncidentFacts[], now: Date, from: Date, to: Date): PeriodFigures["promises"] {
  let kept = 0;
  let missed = 0;
  for (const i of incidents) {
    const t = tallyPromises(i, now, { from, to });
    kept += t.kept;
    missed += t.missed;
  }
  return { kept, missed, keptShare: kept + missed ? kept / (kept + missed) : null };
}

/** Incidents resolved in the period whose severity asks for a postmortem. */
function postmortems(incidents: readonly IncidentFacts[], targets: Record<Severity, SeverityTargets>, fromMs: number, toMs: number) {
  const figures = { due: 0, onTime: 0, late: 0, outstanding: 0 };
  for (const i of incidents) {
    const target = targets[i.severity].postmortem;
    if (target === null || !i.resolvedAt || i.resolvedAt.getTime() < fromMs || i.resolvedAt.getTime() >= toMs) continue;
    figures.due++;
    if (!i.postmortemPublishedAt) figures.outstanding++;
    else if (minutesBetween(i.resolvedAt, i.postmortemPublishedAt) <= target) figures.onTime++;
    else figures.late++;
  }
  return figures;
}

/** An incident is a repeat when another began on one of its components in the 30 days before it. */
function repeats(started: readonly IncidentFacts[], all: readonly IncidentFacts[]): PeriodFigures["repeats"] {
  const count = started.filter((i) =>
    all.some(
      (other) =>
        other.id !== i.id &&
        other.startedAt < i.startedAt &&
        i.startedAt.getTime() - other.startedAt.getTime() <= REPEAT_WINDOW_DAYS * DAY_MS &&
        other.componentIds.some((c) => i.componentIds.includes(c)),
    ),
  ).length;
  return { count, share: started.length ? count / started.length : null };
}

/*
 * A metric's chart as numbers: the periods it is shown over, its values
 * formatted as the metric says, and the geometry of its SVG line (pure, so
 * the page renders it on the server and tests check it without a browser).
 */
import type { Locale } from "./locales.ts";

export type MetricPeriod = "day" | "week" | "month";

/* What each period is called on the page is in the catalogs (messages/*.json, page.metrics). */
export const METRIC_PERIODS: Record<MetricPeriod, { ms: number; resolution: "minute" | "hour"; stepMs: number }> = {
  day: { ms: 86_400_000, resolution: "minute", stepMs: 5 * 60_000 },
  week: { ms: 7 * 86_400_000, resolution: "hour", stepMs: 3_600_000 },
  month: { ms: 30 * 86_400_000, resolution: "hour", stepMs: 6 * 3_600_000 },
};

export interface MetricPoint {
  /** The bucket's start. */
  at: Date;
  /** The bucket's average. */
  value: number;
}

export interface MetricSeries {
  period: MetricPeriod;
  from: Date;
  to: Date;
  points: MetricPoint[];
  average: number | null;
  max: number | null;
  min: number | null;
}

/** A stored bucket (db metric_rollups) as the chart reads it. */
export interface Rollup {
  resolution: "minute" | "hour" | "day";
  at: Date;
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** The stored buckets a period reads, averaged per chart step (oldest first). */
export function seriesFromRollups(rollups: Rollup[], period: MetricPeriod, now: Date): MetricSeries {
  const { ms, resolution, stepMs } = METRIC_PERIODS[period];
  const from = new Date(now.getTime() - ms);
  const steps = new Map<number, { sum: number; count: number; min: number; max: number }>();
  for (const r of rollups) {
    if (r.resolution !== resolution || r.at < from || r.at > now) continue;
    const key = Math.floor(r.at.getTime() / stepMs) * stepMs;
    const step = steps.get(key);
    if (step) Object.assign(step, { sum: step.sum + r.sum, count: step.count + r.count, min: Math.min(step.min, r.min), max: Math.max(step.max, r.max) });
    else steps.set(key, { sum: r.sum, count: r.count, min: r.min, max: r.max });
  }
  const ordered = [...steps].sort(([a], [b]) => a - b);
  const total = ordered.reduce((acc, [, s]) => ({ sum: acc.sum + s.sum, count: acc.count + s.count }), { sum: 0, count: 0 });
  return {
    period,
    from,
    to: now,
    points: ordered.map(([at, s]) => ({ at: new Date(at), value: s.sum / s.count })),
    average: total.count ? total.sum / total.count : null,
    max: ordered.length ? Math.max(...ordered.map(([, s]) => s.max)) : null,
    min: ordered.length ? Math.min(...ordered.map(([, s]) => s.min)) : null,
  };
}

export function formatMetric(value: number, decimalPlaces: number, suffix: string, locale: Locale = "en"): string {
  const number = value.toLocaleString(locale, { minimumFractionDigits: decimalPlaces, maximumFractionDigits: decimalPlaces });
  return suffix ? `${number}${/^[%‰]/.test(suffix) ? "" : " "}${suffix}` : number;
}

export interface ChartGeometry {
  width: number;
  height: number;
  /** SVG path data, one "M…L…" run per stretch without gaps. */
  line: string;
  /** The y axis' bounds as drawn. */
  low: number;
  high: number;
}

/**
 * The line of a series in a width × height box. The y range is the metric's
 * axis bounds where set, else the data's (with zero as the floor for
 * non-negative data); a bucket missing for more than two steps breaks the
 * line rather than drawing a slope across the gap.
 */
export function chartGeometry(
  series: MetricSeries,
  axis: { min: number | null; max: number | null },
  box: { width: number; height: number } = { width: 600, height: 120 },
): ChartGeometry {
  const values = series.points.map((p) => p.value);
  const dataLow = values.length ? Math.min(...values) : 0;
  const dataHigh = values.length ? Math.max(...values) : 1;
  let low = axis.min ?? (dataLow >= 0 ? 0 : dataLow);
  let high = axis.max ?? dataHigh;
  if (high <= low) high = low + 1;
  if (axis.max === null) high += (high - low) * 0.1;
  if (axis.min === null && dataLow < 0) low -= (high - low) * 0.1;
  const span = series.to.getTime() - series.from.getTime();
  const step = METRIC_PERIODS[series.period].stepMs;
  const x = (at: Date) => round(((at.getTime() - series.from.getTime()) / span) * box.width);
  const y = (v: number) => round(box.height - ((Math.min(high, Math.max(low, v)) - low) / (high - low)) * box.height);
  let line = "";
  let previous: Date | null = null;
  for (const p of series.points) {
    const join = previous !== null && p.at.getTime() - previous.getTime() <= 2 * step;
    line += `${join ? "L" : "M"}${x(p.at)} ${y(p.value)}`;
    previous = p.at;
  }
  return { width: box.width, height: box.height, line, low, high };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

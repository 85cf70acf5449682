import type { Db } from "#db/client.ts";
import type { MetricRow } from "#db/schema.ts";
import { METRIC_PERIODS, seriesFromRollups, type MetricPeriod, type MetricSeries, type Rollup } from "#lib/core/metric-charts.ts";
import { rfc3339 } from "#lib/core/time.ts";

/*
 * The public side of system metrics (lib/domain/metrics.ts): each displayed
 * metric with its series over a day, a week and a month, averaged per chart
 * step from the rollups, and its latest value.
 */
export interface PublicMetric {
  id: string;
  name: string;
  suffix: string;
  decimalPlaces: number;
  yAxisMin: number | null;
  yAxisMax: number | null;
  yAxisHidden: boolean;
  description: string;
  /** The newest minute's (or hour's) average; null when nothing came in the last 30 days. */
  latest: { at: Date; value: number } | null;
  series: Record<MetricPeriod, MetricSeries>;
}

/**
 * Every bucket the charts read, for several metrics, in one query: a day of
 * minutes and a month of hours.
 */
async function loadRollups(db: Db, metricIds: string[], now: Date): Promise<Map<string, Rollup[]>> {
  const byMetric = new Map<string, Rollup[]>(metricIds.map((id) => [id, []]));
  if (metricIds.length === 0) return byMetric;
  const rows = await db
    .selectFrom("metric_rollups")
    .select(["metric_id", "resolution", "at", "sum", "count", "min", "max"])
    .where("metric_id", "in", metricIds)
    .where("at", "<=", now)
    .where((eb) =>
      eb.or([
        eb.and([eb("resolution", "=", "minute"), eb("at", ">=", new Date(now.getTime() - METRIC_PERIODS.day.ms))]),
        eb.and([eb("resolution", "=", "hour"), eb("at", ">=", new Date(now.getTime() - METRIC_PERIODS.month.ms))]),
      ]),
    )
    .execute();
  for (const r of rows) {
    byMetric.get(r.metric_id)!.push({ resolution: r.resolution, at: new Date(r.at), sum: Number(r.sum), count: Number(r.count), min: Number(r.min), max: Number(r.max) });
  }
  return byMetric;
}

export async function metricSeries(db: Db, metricId: string, period: MetricPeriod, now: Date): Promise<MetricSeries> {
  return seriesFromRollups((await loadRollups(db, [metricId], now)).get(metricId)!, period, now);
}

/** The newest minute's average, else the newest hour's, within the month the charts read. */
function latestOf(rollups: Rollup[]): PublicMetric["latest"] {
  const newest = (resolution: Rollup["resolution"]) =>
    rollups.filter((r) => r.resolution === resolution).reduce<Rollup | null>((best, r) => (best === null || r.at > best.at ? r : best), null);
  const r = newest("minute") ?? newest("hour");
  return r ? { at: r.at, value: r.sum / r.count } : null;
}

export function presentMetric(metric: MetricRow, latest: PublicMetric["latest"], series: Record<MetricPeriod, MetricSeries>): PublicMetric {
  return {
    id: metric.id,
    name: metric.name,
    suffix: metric.suffix,
    decimalPlaces: metric.decimal_places,
    yAxisMin: metric.y_axis_min,
    yAxisMax: metric.y_axis_max,
    yAxisHidden: metric.y_axis_hidden,
    description: metric.tooltip_description,
    latest,
    series,
  };
}

/** The metrics the page shows, in their order, each with all three periods: two queries in all. */
export async function publicMetrics(db: Db, now: Date = new Date()): Promise<PublicMetric[]> {
  const metrics = await db.selectFrom("metrics").selectAll().where("display", "=", true).orderBy("position").orderBy("created_at").execute();
  const rollups = await loadRollups(db, metrics.map((m) => m.id), now);
  return metrics.map((m) => {
    const own = rollups.get(m.id)!;
    const series = { day: seriesFromRollups(own, "day", now), week: seriesFromRollups(own, "week", now), month: seriesFromRollups(own, "month", now) };
    return presentMetric(m, latestOf(own), series);
  });
}

/** /api/v2/metrics.json's entry: /api/v2's conventions (snake_case, times in the page's zone with milliseconds). */
export function serializeMetric(m: PublicMetric, zone: string) {
  const period = (s: MetricSeries) => ({
    from: rfc3339(s.from, zone),
    to: rfc3339(s.to, zone),
    interval_seconds: METRIC_PERIODS[s.period].stepMs / 1000,
    average: s.average,
    min: s.min,
    max: s.max,
    data: s.points.map((p) => ({ timestamp: rfc3339(p.at, zone), value: p.value })),
  });
  return {
    id: m.id,
    name: m.name,
    suffix: m.suffix,
    decimal_places: m.decimalPlaces,
    y_axis_min: m.yAxisMin,
    y_axis_max: m.yAxisMax,
    y_axis_hidden: m.yAxisHidden,
    description: m.description,
    latest: m.latest ? { timestamp: rfc3339(m.latest.at, zone), value: m.latest.value } : null,
    periods: { day: period(m.series.day), week: period(m.series.week), month: period(m.series.month) },
  };
}

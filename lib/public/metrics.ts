import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { MetricRow } from "#db/schema.ts";
import { METRIC_PERIODS, type MetricPeriod, type MetricSeries } from "#lib/core/metric-charts.ts";
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
  /** The newest minute's (or hour's) average; null before any point. */
  latest: { at: Date; value: number } | null;
  series: Record<MetricPeriod, MetricSeries>;
}

export async function metricSeries(db: Db, metricId: string, period: MetricPeriod, now: Date): Promise<MetricSeries> {
  const { ms, resolution, stepMs } = METRIC_PERIODS[period];
  const from = new Date(now.getTime() - ms);
  const step = sql.lit(stepMs);
  const bucket = sql<string>`floor(extract(epoch from at) * 1000 / ${step}) * ${step}`;
  const rows = await db
    .selectFrom("metric_rollups")
    .select([bucket.as("bucket"), sql<number>`sum(sum)`.as("sum"), sql<number>`sum(count)`.as("count"), sql<number>`min(min)`.as("min"), sql<number>`max(max)`.as("max")])
    .where("metric_id", "=", metricId)
    .where("resolution", "=", resolution)
    .where("at", ">=", from)
    .where("at", "<=", now)
    .groupBy(sql`1`)
    .orderBy(sql`1`)
    .execute();
  const total = rows.reduce((acc, r) => ({ sum: acc.sum + Number(r.sum), count: acc.count + Number(r.count) }), { sum: 0, count: 0 });
  return {
    period,
    from,
    to: now,
    points: rows.map((r) => ({ at: new Date(Number(r.bucket)), value: Number(r.sum) / Number(r.count) })),
    average: total.count ? total.sum / total.count : null,
    max: rows.length ? Math.max(...rows.map((r) => Number(r.max))) : null,
    min: rows.length ? Math.min(...rows.map((r) => Number(r.min))) : null,
  };
}

async function latestValue(db: Db, metricId: string): Promise<PublicMetric["latest"]> {
  const row = await db
    .selectFrom("metric_rollups")
    .select(["at", "sum", "count"])
    .where("metric_id", "=", metricId)
    .where("resolution", "in", ["minute", "hour"])
    .orderBy("at", "desc")
    .orderBy("resolution")
    .limit(1)
    .executeTakeFirst();
  return row ? { at: new Date(row.at), value: Number(row.sum) / Number(row.count) } : null;
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

/** The metrics the page shows, in their order, each with all three periods. */
export async function publicMetrics(db: Db, now: Date = new Date()): Promise<PublicMetric[]> {
  const metrics = await db.selectFrom("metrics").selectAll().where("display", "=", true).orderBy("position").orderBy("created_at").execute();
  return Promise.all(
    metrics.map(async (m) => {
      const [latest, day, week, month] = await Promise.all([
        latestValue(db, m.id),
        metricSeries(db, m.id, "day", now),
        metricSeries(db, m.id, "week", now),
        metricSeries(db, m.id, "month", now),
      ]);
      return presentMetric(m, latest, { day, week, month });
    }),
  );
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

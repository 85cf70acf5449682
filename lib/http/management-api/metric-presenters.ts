import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { MetricRow } from "#db/schema.ts";
import { METRIC_PERIODS, type MetricPeriod } from "#lib/core/metric-charts.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { listMetrics, requireMetric } from "#lib/domain/metrics.ts";
import { metricSeries } from "#lib/public/metrics.ts";

/* What /api/v1 answers about system metrics (lib/domain/metrics.ts). */

const id = z.string().regex(PUBLIC_ID);
const dateTime = z.iso.datetime();

export const metricResource = z.object({
  id,
  name: z.string(),
  suffix: z.string(),
  decimalPlaces: z.number().int(),
  yAxisMin: z.number().nullable(),
  yAxisMax: z.number().nullable(),
  yAxisHidden: z.boolean(),
  tooltipDescription: z.string(),
  display: z.boolean(),
  mostRecentDataAt: dateTime.nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export type Metric = z.output<typeof metricResource>;
export const metricList = z.object({ data: z.array(metricResource) });

export const metricSeriesResource = z.object({
  metricId: id,
  period: z.enum(Object.keys(METRIC_PERIODS) as [MetricPeriod, ...MetricPeriod[]]),
  from: dateTime,
  to: dateTime,
  stepSeconds: z.number().int(),
  average: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  points: z.array(z.object({ at: dateTime, value: z.number() })),
});

export const pointsAccepted = z.object({ metricId: id, accepted: z.number().int() });

export function presentMetric(m: MetricRow): Metric {
  return {
    id: m.id,
    name: m.name,
    suffix: m.suffix,
    decimalPlaces: m.decimal_places,
    yAxisMin: m.y_axis_min,
    yAxisMax: m.y_axis_max,
    yAxisHidden: m.y_axis_hidden,
    tooltipDescription: m.tooltip_description,
    display: m.display,
    mostRecentDataAt: m.most_recent_data_at?.toISOString() ?? null,
    createdAt: m.created_at.toISOString(),
    updatedAt: m.updated_at.toISOString(),
  };
}

export async function readMetric(reader: Db | Tx, metricId: string): Promise<Metric> {
  return presentMetric(await requireMetric(reader, metricId));
}

export async function readMetrics(db: Db): Promise<{ data: Metric[] }> {
  return { data: (await listMetrics(db)).map(presentMetric) };
}

export async function readMetricSeries(db: Db, metricId: string, period: MetricPeriod, now: Date = new Date()) {
  await requireMetric(db, metricId);
  const series = await metricSeries(db, metricId, period, now);
  return {
    metricId,
    period,
    from: series.from.toISOString(),
    to: series.to.toISOString(),
    stepSeconds: METRIC_PERIODS[period].stepMs / 1000,
    average: series.average,
    min: series.min,
    max: series.max,
    points: series.points.map((p) => ({ at: p.at.toISOString(), value: p.value })),
  };
}

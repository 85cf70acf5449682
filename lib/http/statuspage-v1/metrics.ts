import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { MetricRow } from "#db/schema.ts";
import { invalidInput, isAppError, notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { rfc3339 } from "#lib/core/time.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { getEmbedConfig, updateEmbedConfig } from "#lib/domain/embed-config.ts";
import { addMetricPoints, addMetricPointsBatch, deleteMetric, editMetric, listMetrics, POINTS_PER_REQUEST, requireMetric } from "#lib/domain/metrics.ts";
import { flag, list, optional, parseBody } from "./bodies.ts";
import { asClientFields } from "./incident-writes.ts";
import type { Answer, WriteMethod } from "./writes.ts";

/*
 * …/metrics and …/status_embed_config: Candor's system metrics
 * (lib/domain/metrics.ts) as Statuspage's Metric objects, their data
 * points pushed single (`metrics/{id}/data`) or batched (`metrics/data`),
 * and the embed's settings (lib/domain/embed-config.ts). Metrics are
 * created in the admin or /api/v1 (Statuspage creates them through metric
 * providers, which Candor has none of).
 */

const time = z.string().nullable();
export const metricObject = z.strictObject({
  id: z.string(),
  metrics_provider_id: z.null(),
  metric_identifier: z.string(),
  name: z.string(),
  display: z.boolean(),
  tooltip_description: z.string(),
  backfilled: z.boolean(),
  y_axis_min: z.number().nullable(),
  y_axis_max: z.number().nullable(),
  y_axis_hidden: z.boolean(),
  suffix: z.string(),
  decimal_places: z.number().int(),
  most_recent_data_at: time,
  created_at: time,
  updated_at: time,
  last_fetched_at: time,
  backfill_percentage: z.number().int(),
  reference_name: z.string(),
  page_id: z.string(),
});
export const embedConfigObject = z.strictObject({
  page_id: z.string(),
  position: z.string(),
  incident_background_color: z.string(),
  incident_text_color: z.string(),
  maintenance_background_color: z.string(),
  maintenance_text_color: z.string(),
  updated_at: time,
});
export const embedConfigBody = z.object({ status_embed_config: z.record(z.string(), z.unknown()) });

function present(m: MetricRow, pageId: string, zone: string): z.output<typeof metricObject> {
  const at = (d: Date | null) => (d ? rfc3339(d, zone) : null);
  return {
    id: m.id,
    metrics_provider_id: null,
    metric_identifier: m.id,
    name: m.name,
    display: m.display,
    tooltip_description: m.tooltip_description,
    backfilled: false,
    y_axis_min: m.y_axis_min,
    y_axis_max: m.y_axis_max,
    y_axis_hidden: m.y_axis_hidden,
    suffix: m.suffix,
    decimal_places: m.decimal_places,
    most_recent_data_at: at(m.most_recent_data_at),
    created_at: at(m.created_at),
    updated_at: at(m.updated_at),
    last_fetched_at: at(m.most_recent_data_at),
    backfill_percentage: 0,
    reference_name: m.name,
    page_id: pageId,
  };
}

const number = z.union([z.number(), z.string().trim().regex(/^[+-]?\d+(\.\d+)?$/).transform(Number)], { error: "must be a number" });
const point = z.object({ timestamp: number.pipe(z.number().int("must be epoch seconds")), value: number });
export const singleBody = z.object({ data: point });
/** What a single point's POST answers: the point as stored. */
export const pointAnswer = z.strictObject({ data: z.strictObject({ timestamp: z.number().int(), value: z.number() }) });
export const batchBody = z.object({ data: z.record(z.string().max(64), list(point, POINTS_PER_REQUEST)) });
export const metricBody = z.object({
  metric: z.object({
    name: optional(z.string()),
    suffix: optional(z.string()),
    decimal_places: optional(number),
    y_axis_min: optional(number.nullable()),
    y_axis_max: optional(number.nullable()),
    y_axis_hidden: optional(flag),
    tooltip_description: optional(z.string()),
    display: optional(flag),
  }),
});

export async function readMetrics(db: Db, pageId: string, zone: string, id: string | undefined): Promise<object> {
  if (id !== undefined) {
    if (!PUBLIC_ID.test(id)) throw notFound("metric");
    return present(await requireMetric(db, id), pageId, zone);
  }
  return (await listMetrics(db)).map((m) => present(m, pageId, zone));
}

export async function readEmbedConfig(db: Db, pageId: string, zone: string): Promise<object> {
  const { updated_at, ...config } = await getEmbedConfig(db);
  return { page_id: pageId, ...config, updated_at: updated_at ? rfc3339(updated_at, zone) : null };
}

/** Writes under …/metrics and …/status_embed_config; null when no such endpoint. */
export async function writeMetricsOrEmbed(
  db: Db,
  actor: Actor,
  method: WriteMethod,
  rest: (string | undefined)[],
  raw: unknown,
  page: { id: string; zone: string },
): Promise<Answer | null> {
  const [resource, id, sub, more] = rest;
  if (more !== undefined) return null;
  const update = method === "PATCH" || method === "PUT";
  if (resource === "status_embed_config" && id === undefined && update) {
    const body = parseBody(embedConfigBody, raw);
    await asClientFields("status_embed_config", () => updateEmbedConfig(db, actor, body.status_embed_config));
    return { status: 200, body: await readEmbedConfig(db, page.id, page.zone) };
  }
  if (resource !== "metrics") return null;
  if (id === "data" && sub === undefined && method === "POST") {
    const { data } = parseBody(batchBody, raw);
    const entries = Object.entries(data);
    try {
      await addMetricPointsBatch(db, actor, entries.map(([metricId, points]) => ({ metricId, points })));
    } catch (error) {
      if (!isAppError(error, "invalid_input")) throw error;
      // The domain names the entry by its index; the client named it by the metric's id.
      throw invalidInput(error.issues.map((i) => ({ field: i.field.replace(/^(\d+)\.points/, (_, n: string) => `data.${entries[Number(n)][0]}`), message: i.message })));
    }
    return { status: 202, body: data };
  }
  if (id !== undefined && sub === "data" && method === "POST") {
    const { data } = parseBody(singleBody, raw);
    try {
      await addMetricPoints(db, actor, { metricId: id, points: [data] });
    } catch (error) {
      // The one point is points.0 to the domain and `data` to the client.
      if (!isAppError(error, "invalid_input")) throw error;
      throw invalidInput(error.issues.map((i) => ({ field: i.field.replace(/^points\.0/, "data"), message: i.message })));
    }
    return { status: 201, body: { data } };
  }
  if (id !== undefined && sub === undefined && update) {
    const m = parseBody(metricBody, raw).metric;
    const edited = await asClientFields(
      "metric",
      () =>
        editMetric(db, actor, {
          metricId: id,
          name: m.name,
          suffix: m.suffix,
          decimalPlaces: m.decimal_places,
          yAxisMin: m.y_axis_min,
          yAxisMax: m.y_axis_max,
          yAxisHidden: m.y_axis_hidden,
          tooltipDescription: m.tooltip_description,
          display: m.display,
        }),
    );
    return { status: 200, body: present(edited, page.id, page.zone) };
  }
  if (id !== undefined && sub === undefined && method === "DELETE") {
    if (!PUBLIC_ID.test(id)) throw notFound("metric");
    const deleted = await deleteMetric(db, actor, { metricId: id });
    return { status: 200, body: present(deleted, page.id, page.zone) };
  }
  return null;
}

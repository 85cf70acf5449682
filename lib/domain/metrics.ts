import { sql } from "kysely";
import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { MetricResolution, MetricRow } from "#db/schema.ts";
import { invalidInput, isAppError, notFound, parseInput } from "#lib/core/errors.ts";
import { dateTimeField, publicIdField, text, wholeNumber } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { requireRole, type Actor } from "./actors.ts";
import { write } from "./write.ts";

/*
 * System metrics: named series ("API response time") shown as charts under
 * the components, fed by monitoring through the APIs. Points are kept as
 * rollups (db/migrations/0018_metrics.ts): each point adds to its minute,
 * hour and day bucket, so pushing a point is one statement and reading a
 * month is a few hundred rows. A point sent twice counts twice.
 */

/** How far back a point may be dated: older ones would fall straight out of the minute and hour buckets. */
export const POINT_MAX_AGE_DAYS = 28;
/** Clocks drift: a point up to five minutes ahead is accepted as now-ish. */
const POINT_MAX_AHEAD_MS = 5 * 60_000;
/** Points per request, as Statuspage's batched endpoint allows. */
export const POINTS_PER_REQUEST = 3000;

const BUCKET_MS: Record<MetricResolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** How long each resolution is kept: a day's chart reads minutes, a week's hours, a month's hours, older views days. */
export const ROLLUPS_KEPT_DAYS: Record<MetricResolution, number> = { minute: 2, hour: 35, day: 400 };

const finite = (what: string) => z.union([z.number(), z.string().trim().regex(/^[+-]?\d+(\.\d+)?$/).transform(Number)], { error: `must be a number` }).pipe(z.number().finite(`must be a ${what}`));
const axisBound = finite("number").nullish().or(z.literal("").transform(() => null));

const metricFields = {
  name: text({ max: 255 }),
  suffix: text({ max: 20, required: false }),
  decimalPlaces: wholeNumber(0, 4),
  yAxisMin: axisBound,
  yAxisMax: axisBound,
  yAxisHidden: z.boolean(),
  tooltipDescription: text({ max: 500, required: false }),
  display: z.boolean(),
};
const boundsInOrder = (m: { yAxisMin?: number | null; yAxisMax?: number | null }) => m.yAxisMin == null || m.yAxisMax == null || m.yAxisMin < m.yAxisMax;

export const metricInput = z
  .object({
    ...metricFields,
    suffix: metricFields.suffix.default(""),
    decimalPlaces: metricFields.decimalPlaces.default(0),
    yAxisHidden: metricFields.yAxisHidden.default(false),
    tooltipDescription: metricFields.tooltipDescription.default(""),
    display: metricFields.display.default(true),
  })
  .refine(boundsInOrder, { path: ["yAxisMax"], error: "must be above the y axis minimum" });
/** Only the fields given change (no defaults here: a missing field is left as it is). */
export const metricChanges = z.object(metricFields).partial().refine(boundsInOrder, { path: ["yAxisMax"], error: "must be above the y axis minimum" });
export const editMetricInput = z
  .object(metricFields)
  .partial()
  .extend({ metricId: publicIdField("metric") })
  .refine(boundsInOrder, { path: ["yAxisMax"], error: "must be above the y axis minimum" });

function columns(data: Omit<z.output<typeof editMetricInput>, "metricId">) {
  const set = {
    name: data.name,
    suffix: data.suffix,
    decimal_places: data.decimalPlaces,
    y_axis_min: data.yAxisMin,
    y_axis_max: data.yAxisMax,
    y_axis_hidden: data.yAxisHidden,
    tooltip_description: data.tooltipDescription,
    display: data.display,
  };
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined)) as Partial<typeof set>;
}

export async function createMetric(db: Db, actor: Actor, input: unknown): Promise<MetricRow> {
  return write(db, actor, input, {
    role: "editor",
    schema: metricInput,
    public: true,
    async change(trx, data) {
      const { next } = await trx.selectFrom("metrics").select(sql<number>`coalesce(max(position), 0) + 1`.as("next")).executeTakeFirstOrThrow();
      const metric = await trx
        .insertInto("metrics")
        .values({ id: publicId(), ...columns(data), name: data.name, y_axis_min: data.yAxisMin ?? null, y_axis_max: data.yAxisMax ?? null, position: next })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: metric, audit: { action: "metric.create", subjectType: "metric", subjectId: metric.id, after: metric } };
    },
  });
}

export async function editMetric(db: Db, actor: Actor, input: unknown): Promise<MetricRow> {
  return write(db, actor, input, {
    role: "editor",
    schema: editMetricInput,
    public: true,
    async change(trx, { metricId, ...data }) {
      const before = await requireMetric(trx, metricId);
      const after = { ...before, ...columns(data) };
      if (after.y_axis_min !== null && after.y_axis_max !== null && after.y_axis_min >= after.y_axis_max) {
        throw invalidInput([{ field: "yAxisMax", message: "must be above the y axis minimum" }]);
      }
      const metric = await trx.updateTable("metrics").set({ ...columns(data), updated_at: new Date() }).where("id", "=", metricId).returningAll().executeTakeFirstOrThrow();
      return { result: metric, audit: { action: "metric.edit", subjectType: "metric", subjectId: metricId, before, after: metric } };
    },
  });
}

export async function deleteMetric(db: Db, actor: Actor, input: unknown): Promise<MetricRow> {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ metricId: publicIdField("metric") }),
    public: true,
    async change(trx, { metricId }) {
      const before = await requireMetric(trx, metricId);
      await trx.deleteFrom("metrics").where("id", "=", metricId).execute();
      return { result: before, audit: { action: "metric.delete", subjectType: "metric", subjectId: metricId, before } };
    },
  });
}

export async function requireMetric(db: Db | Tx, id: string): Promise<MetricRow> {
  const metric = await db.selectFrom("metrics").selectAll().where("id", "=", id).executeTakeFirst();
  if (!metric) throw notFound("metric");
  return metric;
}

export async function listMetrics(db: Db): Promise<MetricRow[]> {
  return db.selectFrom("metrics").selectAll().orderBy("position").orderBy("created_at").execute();
}

/** A point's time: epoch seconds (Statuspage's form) or an ISO 8601 date-time. */
const pointTime = z.union([z.number().int().min(0).max(253402300799).transform((s) => new Date(s * 1000)), dateTimeField], {
  error: "must be epoch seconds or an ISO 8601 date-time",
});
export const pointsInput = z.object({
  metricId: publicIdField("metric"),
  points: z.array(z.object({ timestamp: pointTime, value: finite("finite number") })).min(1, "needs at least one point").max(POINTS_PER_REQUEST, `takes at most ${POINTS_PER_REQUEST} points`),
});

/**
 * Adds points to a metric (editor scope): each into its minute, hour and day
 * bucket in one statement per request. Measurements, not changes: no audit
 * entry and no page refresh (the page reads metrics within its minute).
 */
export async function addMetricPoints(db: Db, actor: Actor, input: unknown, now: Date = new Date()): Promise<{ metricId: string; accepted: number }> {
  requireRole(actor, "editor");
  const checked = checkedPoints(input, now);
  // The transaction's result is the answer: the management API records its response inside this transaction.
  return db.transaction().execute(async (trx) => (await writePoints(trx, [checked]))[0]);
}

/**
 * Points for several metrics at once: all checked before any is written
 * (an error's field starts with the entry's index: `1.points.0.value`),
 * then written in one transaction.
 */
export async function addMetricPointsBatch(db: Db, actor: Actor, inputs: unknown[], now: Date = new Date()): Promise<{ metricId: string; accepted: number }[]> {
  requireRole(actor, "editor");
  const batch = inputs.map((input, i) => {
    try {
      return checkedPoints(input, now);
    } catch (error) {
      if (!isAppError(error, "invalid_input")) throw error;
      throw invalidInput(error.issues.map((issue) => ({ field: `${i}.${issue.field}`, message: issue.message })));
    }
  });
  return db.transaction().execute((trx) => writePoints(trx, batch));
}

async function writePoints(trx: Tx, batch: z.output<typeof pointsInput>[]) {
  const answers = [];
  for (const { metricId, points } of batch) {
    const metric = await trx.selectFrom("metrics").select("id").where("id", "=", metricId).forUpdate().executeTakeFirst();
    if (!metric) throw notFound("metric");
    await trx
      .insertInto("metric_rollups")
      .values(bucketsOf(metricId, points))
      .onConflict((oc) =>
        oc.columns(["metric_id", "resolution", "at"]).doUpdateSet((eb) => ({
          sum: eb("metric_rollups.sum", "+", eb.ref("excluded.sum")),
          count: eb("metric_rollups.count", "+", eb.ref("excluded.count")),
          min: sql<number>`least(metric_rollups.min, excluded.min)`,
          max: sql<number>`greatest(metric_rollups.max, excluded.max)`,
        })),
      )
      .execute();
    const latest = new Date(Math.max(...points.map((p) => p.timestamp.getTime())));
    await trx
      .updateTable("metrics")
      .set({ most_recent_data_at: sql<Date>`greatest(most_recent_data_at, ${latest})` })
      .where("id", "=", metricId)
      .execute();
    answers.push({ metricId, accepted: points.length });
  }
  return answers;
}

function checkedPoints(input: unknown, now: Date) {
  const checked = parseInput(pointsInput, input);
  checked.points.forEach((p, i) => {
    if (p.timestamp.getTime() < now.getTime() - POINT_MAX_AGE_DAYS * 86_400_000) {
      throw invalidInput([{ field: `points.${i}.timestamp`, message: `is more than ${POINT_MAX_AGE_DAYS} days old` }]);
    }
    if (p.timestamp.getTime() > now.getTime() + POINT_MAX_AHEAD_MS) throw invalidInput([{ field: `points.${i}.timestamp`, message: "is in the future" }]);
  });
  return checked;
}

/** One row per bucket: a statement cannot update one row twice. */
function bucketsOf(metricId: string, points: { timestamp: Date; value: number }[]) {
  const buckets = new Map<string, { metric_id: string; resolution: MetricResolution; at: Date; sum: number; count: number; min: number; max: number }>();
  for (const p of points) {
    for (const resolution of ["minute", "hour", "day"] as const) {
      const at = new Date(Math.floor(p.timestamp.getTime() / BUCKET_MS[resolution]) * BUCKET_MS[resolution]);
      const key = `${resolution}:${at.getTime()}`;
      const b = buckets.get(key);
      if (b) Object.assign(b, { sum: b.sum + p.value, count: b.count + 1, min: Math.min(b.min, p.value), max: Math.max(b.max, p.value) });
      else buckets.set(key, { metric_id: metricId, resolution, at, sum: p.value, count: 1, min: p.value, max: p.value });
    }
  }
  return [...buckets.values()];
}

/** Retention: minute buckets after two days, hour buckets after 35, day buckets after 400. */
export async function pruneMetricRollups(db: Db, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (const [resolution, days] of Object.entries(ROLLUPS_KEPT_DAYS) as [MetricResolution, number][]) {
    const result = await db
      .deleteFrom("metric_rollups")
      .where("resolution", "=", resolution)
      .where("at", "<", new Date(now.getTime() - days * 86_400_000))
      .executeTakeFirst();
    total += Number(result.numDeletedRows);
  }
  return total;
}

/*
 * System metrics on both engines: creating and editing them (bad input names
 * the field), points landing in their minute, hour and day buckets (a batch
 * hitting one bucket twice, a repeat, old and future points refused with
 * nothing stored), the public read model and the page's chart and words,
 * retention, and the /api/v1 routes with keys and scopes.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { MetricList } from "#components/metric-list.tsx";
import { chartGeometry, formatMetric, type MetricSeries } from "#lib/core/metric-charts.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { addMetricPoints, createMetric, editMetric, pruneMetricRollups } from "#lib/domain/metrics.ts";
import { metricSeriesResource, metricResource } from "#lib/http/management-api/metric-presenters.ts";
import { publicMetrics } from "#lib/public/metrics.ts";
import { statusPage } from "#lib/public/status-page.ts";
import { statuspagePayload } from "#lib/public/statuspage-v2.ts";
import { microcachePath } from "#lib/runtime/microcache/keys.ts";
import * as metricsRoute from "../../app/api/v1/metrics/route.ts";
import * as metricRoute from "../../app/api/v1/metrics/[id]/route.ts";
import * as pointsRoute from "../../app/api/v1/metrics/[id]/points/route.ts";
import * as seriesRoute from "../../app/api/v1/metrics/[id]/series/route.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const viewer: Actor = { id: "v", name: "viewer@example.com", source: "session", role: "viewer" };
const NOW = new Date("2026-11-30T12:00:30Z");
const at = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

describe("metric charts (pure)", () => {
  const series = (points: [string, number][]): MetricSeries => ({
    period: "day",
    from: new Date("2026-11-29T12:00:00Z"),
    to: new Date("2026-11-30T12:00:00Z"),
    points: points.map(([t, value]) => ({ at: new Date(t), value })),
    average: null,
    max: null,
    min: null,
  });

  it("draws one run per stretch without gaps, scaled to the axis bounds or the data", () => {
    const s = series([
      ["2026-11-29T12:00:00Z", 0],
      ["2026-11-29T12:05:00Z", 50],
      ["2026-11-29T12:10:00Z", 100],
      // 30 minutes missing: a new run.
      ["2026-11-29T12:45:00Z", 100],
    ]);
    const fixed = chartGeometry(s, { min: 0, max: 200 }, { width: 288, height: 100 });
    expect(fixed.line).toBe("M0 100L1 75L2 50M9 50");
    expect([fixed.low, fixed.high]).toEqual([0, 200]);
    // From the data: zero floor, 10 % headroom.
    expect(chartGeometry(s, { min: null, max: null }, { width: 288, height: 100 }).high).toBeCloseTo(110);
    expect(chartGeometry(series([]), { min: null, max: null }).line).toBe("");
  });

  it("formats values as the metric says", () => {
    expect(formatMetric(1234.5678, 2, "ms")).toBe("1,234.57 ms");
    expect(formatMetric(99.5, 1, "%")).toBe("99.5%");
    expect(formatMetric(3, 0, "")).toBe("3");
    expect(formatMetric(1234.5678, 2, "ms", "de")).toBe("1.234,57 ms");
  });
});

describe.each(engines)("metrics on %s", (engine) => {
  let h: DbHandle;
  beforeEach(async () => {
    h = await freshDatabase(engine);
  });
  afterEach(() => h.close());

  const rollups = (resolution: "minute" | "hour" | "day") =>
    h.db.selectFrom("metric_rollups").select(["at", "sum", "count", "min", "max"]).where("resolution", "=", resolution).orderBy("at").execute();

  it("creates and edits a metric; bad input names the field and changes nothing", async () => {
    const metric = await createMetric(h.db, systemActor, { name: "API response time", suffix: "ms", decimalPlaces: "1", yAxisMin: 0, yAxisMax: "500" });
    expect(metric).toMatchObject({ name: "API response time", suffix: "ms", decimal_places: 1, y_axis_min: 0, y_axis_max: 500, display: true, position: 1 });
    await expect(createMetric(h.db, systemActor, { name: "Bad", yAxisMin: 10, yAxisMax: 5 })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: "yAxisMax" })] });
    await expect(createMetric(h.db, systemActor, { name: "", decimalPlaces: 9 })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createMetric(h.db, viewer, { name: "Nope" })).rejects.toMatchObject({ code: "forbidden" });
    // Only what is given changes; a bound that would cross the kept one is refused.
    const edited = await editMetric(h.db, systemActor, { metricId: metric.id, name: "API latency" });
    expect(edited).toMatchObject({ name: "API latency", suffix: "ms", decimal_places: 1, y_axis_max: 500 });
    await expect(editMetric(h.db, systemActor, { metricId: metric.id, yAxisMin: 600 })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: "yAxisMax" })] });
    expect((await h.db.selectFrom("metrics").select("name").execute()).map((m) => m.name)).toEqual(["API latency"]);
  });

  it("adds points into minute, hour and day buckets; refuses old, future and foreign points storing nothing", async () => {
    const metric = await createMetric(h.db, systemActor, { name: "Errors", suffix: "%" });
    const points = [
      { timestamp: at("2026-11-30T11:58:10Z"), value: 2 },
      { timestamp: at("2026-11-30T11:58:50Z"), value: 4 },
      { timestamp: "2026-11-30T11:59:00Z", value: "9" },
    ];
    expect(await addMetricPoints(h.db, systemActor, { metricId: metric.id, points }, NOW)).toEqual({ metricId: metric.id, accepted: 3 });
    // Sent again: counts again (documented).
    await addMetricPoints(h.db, systemActor, { metricId: metric.id, points: [points[2]] }, NOW);
    expect(await rollups("minute")).toEqual([
      { at: new Date("2026-11-30T11:58:00Z"), sum: 6, count: 2, min: 2, max: 4 },
      { at: new Date("2026-11-30T11:59:00Z"), sum: 18, count: 2, min: 9, max: 9 },
    ]);
    expect(await rollups("hour")).toEqual([{ at: new Date("2026-11-30T11:00:00Z"), sum: 24, count: 4, min: 2, max: 9 }]);
    expect(await rollups("day")).toEqual([{ at: new Date("2026-11-30T00:00:00Z"), sum: 24, count: 4, min: 2, max: 9 }]);
    const row = await h.db.selectFrom("metrics").select("most_recent_data_at").executeTakeFirstOrThrow();
    expect(row.most_recent_data_at).toEqual(new Date("2026-11-30T11:59:00Z"));

    const refused: [unknown, string][] = [
      [{ metricId: metric.id, points: [{ timestamp: at("2026-10-01T00:00:00Z"), value: 1 }] }, "points.0.timestamp"],
      [{ metricId: metric.id, points: [{ timestamp: at("2026-11-30T12:00:00Z"), value: 1 }, { timestamp: at("2026-11-30T13:00:00Z"), value: 1 }] }, "points.1.timestamp"],
      [{ metricId: metric.id, points: [{ timestamp: at("2026-11-30T12:00:00Z"), value: "lots" }] }, "points.0.value"],
      [{ metricId: metric.id, points: [] }, "points"],
    ];
    for (const [input, field] of refused) {
      await expect(addMetricPoints(h.db, systemActor, input, NOW)).rejects.toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ field })] });
    }
    await expect(addMetricPoints(h.db, systemActor, { metricId: "abcdefghijkl", points: [{ timestamp: at("2026-11-30T12:00:00Z"), value: 1 }] }, NOW)).rejects.toMatchObject({ code: "not_found" });
    await expect(addMetricPoints(h.db, viewer, { metricId: metric.id, points }, NOW)).rejects.toMatchObject({ code: "forbidden" });
    expect((await rollups("hour"))[0].count).toBe(4);
  });

  it("the page shows displayed metrics with their latest value, chart and words; hidden ones not", async () => {
    const shown = await createMetric(h.db, systemActor, { name: "API response time", suffix: "ms" });
    await createMetric(h.db, systemActor, { name: "Internal queue", display: false });
    const minutes = Array.from({ length: 120 }, (_, i) => ({ timestamp: at("2026-11-30T10:00:00Z") + i * 60, value: 100 + (i % 10) }));
    await addMetricPoints(h.db, systemActor, { metricId: shown.id, points: minutes }, NOW);
    const [metric] = await publicMetrics(h.db, NOW);
    expect((await publicMetrics(h.db, NOW)).map((m) => m.name)).toEqual(["API response time"]);
    expect(metric.latest).toEqual({ at: new Date("2026-11-30T11:59:00Z"), value: 109 });
    // Five-minute steps over the day: 24 steps of 5 points each in these two hours.
    expect(metric.series.day.points).toHaveLength(24);
    expect(metric.series.day.points[0]).toEqual({ at: new Date("2026-11-30T10:00:00Z"), value: 102 });
    expect(metric.series.day.average).toBeCloseTo(104.5);
    expect([metric.series.day.min, metric.series.day.max]).toEqual([100, 109]);
    expect(metric.series.week.points.map((p) => p.value)).toEqual([104.5, 104.5]);

    const view = await statusPage(h.db, NOW);
    expect(view.metrics.map((m) => m.id)).toEqual([shown.id]);
    const html = renderToStaticMarkup(MetricList({ metrics: view.metrics, zone: "Etc/UTC", locale: "en" })!);
    expect(html).toContain("System metrics");
    expect(html).toContain("<strong>109 ms</strong>");
    expect(html).toContain("Last 24 hours: average 105 ms, lowest 100 ms, highest 109 ms.");
    expect(html).toMatch(/<path d="M[\d.]+ [\d.]+L/);
    expect(html.match(/type="radio"/g)).toHaveLength(3);

    // The same in /api/v2's style, beside the page object every /api/v2 answer carries.
    const json = (await statuspagePayload(h.db, "metrics.json")) as { page: { id: string }; metrics: Record<string, unknown>[] };
    const summary = (await statuspagePayload(h.db, "summary.json")) as { page: { id: string } };
    expect(json.page.id).toBe(summary.page.id);
    expect(json.metrics).toHaveLength(1);
    expect(json.metrics[0]).toMatchObject({ id: shown.id, name: "API response time", suffix: "ms", latest: { value: 109 } });
    const day = (json.metrics[0].periods as Record<string, { interval_seconds: number; data: { timestamp: string; value: number }[] }>).day;
    expect(day.interval_seconds).toBe(300);
    expect(day.data.length).toBeGreaterThan(0);
    expect(day.data[0].timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
    expect(microcachePath({ method: "GET", url: "/api/v2/metrics.json" } as IncomingMessage)).toBe("/api/v2/metrics.json");
  });

  it("retention drops minute buckets after two days and hour buckets after 35, keeping days", async () => {
    const metric = await createMetric(h.db, systemActor, { name: "Errors" });
    await addMetricPoints(h.db, systemActor, { metricId: metric.id, points: [{ timestamp: at("2026-11-27T12:00:00Z"), value: 1 }] }, NOW);
    expect(await pruneMetricRollups(h.db, NOW)).toBe(1);
    expect((await rollups("minute")).length).toBe(0);
    expect((await rollups("hour")).length).toBe(1);
    expect(await pruneMetricRollups(h.db, new Date("2027-01-15T00:00:00Z"))).toBe(1);
    expect((await rollups("day")).length).toBe(1);
  });
});

describe.each(engines)("metrics over /api/v1 on %s", (engine) => {
  let h: DbHandle;
  let readKey: string;
  let writeKey: string;
  const BASE = "http://localhost/api/v1";
  const request = (path: string, key: string, body?: unknown, method = body === undefined ? "GET" : "POST") =>
    new Request(BASE + path, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const params = (id: string) => ({ params: Promise.resolve({ id }) });

  beforeAll(async () => {
    h = await freshDatabase(engine);
    useSharedDatabase(h);
    readKey = (await createApiKey(h.db, systemActor, { name: "grafana", scope: "read" })).token;
    writeKey = (await createApiKey(h.db, systemActor, { name: "prometheus", scope: "write" })).token;
  });
  afterAll(async () => {
    useSharedDatabase(undefined);
    await h.close();
  });

  it("creates, feeds and reads a metric; a read key cannot write; bad points name the field", async () => {
    const refused = await metricsRoute.POST(request("/metrics", readKey, { name: "API" }));
    expect(refused.status).toBe(403);
    const created = await metricsRoute.POST(request("/metrics", writeKey, { name: "API response time", suffix: "ms", decimalPlaces: 0 }));
    expect(created.status).toBe(201);
    const metric = metricResource.parse(await created.json());
    expect(created.headers.get("location")).toBe(`${BASE}/metrics/${metric.id}`);

    const now = Math.floor(Date.now() / 1000);
    const fed = await pointsRoute.POST(request(`/metrics/${metric.id}/points`, writeKey, { points: [{ timestamp: now - 60, value: 120 }, { timestamp: now, value: 80 }] }), params(metric.id));
    expect(fed.status).toBe(201);
    expect(await fed.json()).toEqual({ metricId: metric.id, accepted: 2 });
    const bad = await pointsRoute.POST(request(`/metrics/${metric.id}/points`, writeKey, { points: [{ timestamp: "yesterday", value: 1 }] }), params(metric.id));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("points.0.timestamp");

    const series = metricSeriesResource.parse(await (await seriesRoute.GET(request(`/metrics/${metric.id}/series?period=week`, readKey), params(metric.id))).json());
    expect(series.period).toBe("week");
    expect(series.average).toBe(100);
    const badPeriod = await seriesRoute.GET(request(`/metrics/${metric.id}/series?period=year`, readKey), params(metric.id));
    expect(badPeriod.status).toBe(400);

    const patched = await metricRoute.PATCH(request(`/metrics/${metric.id}`, writeKey, { display: false }, "PATCH"), params(metric.id));
    expect(metricResource.parse(await patched.json())).toMatchObject({ name: "API response time", display: false });
    const list = (await (await metricsRoute.GET(request("/metrics", readKey))).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1);
    expect((await metricRoute.GET(request("/metrics/abcdefghijkl", readKey), params("abcdefghijkl"))).status).toBe(404);
  });
});

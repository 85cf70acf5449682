/*
 * Statuspage v1's metrics and status_embed_config on both engines, through
 * the route handler as a client calls it (OAuth key, JSON and bracket-form
 * bodies): Metric objects, single and batched data points (a batch with one
 * bad entry names it and stores nothing), metric edits and deletion, and
 * the embed settings (readable with any key, changed with an owner key
 * only).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { createMetric } from "#lib/domain/metrics.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { embedConfigObject, metricObject } from "#lib/http/statuspage-v1/metrics.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { statuspageV1Client } from "../support/statuspage-v1-client.ts";

process.env.STATUSPAGE_API_RATE_LIMIT = "100000";

describe.each(engines)("Statuspage v1 metrics and embed settings on %s", (engine) => {
  let handle: DbHandle;
  let writeKey: string;
  let readKey: string;
  let pageId: string;
  let latency: string;
  let errors: string;
  const call = statuspageV1Client(() => writeKey);
  const at = (rest = "") => `pages/${pageId}${rest}`;
  const hours = () => handle.db.selectFrom("metric_rollups").select(["metric_id", "count", "sum"]).where("resolution", "=", "hour").orderBy("metric_id").execute();

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    writeKey = (await createApiKey(handle.db, systemActor, { name: "prometheus", scope: "write" })).token;
    readKey = (await createApiKey(handle.db, systemActor, { name: "reader", scope: "read" })).token;
    pageId = (await getPage(handle.db)).id;
    latency = (await createMetric(handle.db, systemActor, { name: "API latency", suffix: "ms" })).id;
    errors = (await createMetric(handle.db, systemActor, { name: "Error rate", suffix: "%", decimalPlaces: 2 })).id;
  });
  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  it("lists metrics as Statuspage's Metric objects", async () => {
    const list = await call("GET", at("/metrics.json"), { key: readKey });
    expect(list.status).toBe(200);
    expect(list.body.map((m: { name: string }) => m.name)).toEqual(["API latency", "Error rate"]);
    expect(Object.keys(list.body[0]).sort()).toEqual(
      [
        "id", "metrics_provider_id", "metric_identifier", "name", "display", "tooltip_description", "backfilled", "y_axis_min", "y_axis_max",
        "y_axis_hidden", "suffix", "decimal_places", "most_recent_data_at", "created_at", "updated_at", "last_fetched_at", "backfill_percentage",
        "reference_name", "page_id",
      ].sort(),
    );
    for (const m of list.body) metricObject.parse(m);
    expect((await call("GET", at(`/metrics/${errors}`), { key: readKey })).body).toMatchObject({ id: errors, suffix: "%", decimal_places: 2 });
    expect((await call("GET", at("/metrics/abcdefghijkl"), { key: readKey })).status).toBe(404);
  });

  it("takes one point (JSON or form) and batches; a bad entry is named and nothing of the batch is stored", async () => {
    const now = Math.floor(Date.now() / 1000);
    const single = await call("POST", at(`/metrics/${latency}/data`), { body: { data: { timestamp: now, value: 120.5 } } });
    expect(single).toMatchObject({ status: 201, body: { data: { timestamp: now, value: 120.5 } } });
    const form = await call("POST", at(`/metrics/${latency}/data.json`), { body: { data: { timestamp: String(now), value: "79.5" } }, encoding: "form" });
    expect(form.status).toBe(201);
    expect(await hours()).toEqual([{ metric_id: latency, count: 2, sum: 200 }]);

    const refusedRead = await call("POST", at(`/metrics/${latency}/data`), { key: readKey, body: { data: { timestamp: now, value: 1 } } });
    expect(refusedRead.status).toBe(403);
    const bad = await call("POST", at(`/metrics/${latency}/data`), { body: { data: { timestamp: now + 86_400, value: 1 } } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("data.timestamp");

    const batch = { data: { [latency]: [{ timestamp: now, value: 100 }], [errors]: [{ timestamp: now, value: 0.5 }, { timestamp: now - 60, value: 1.5 }] } };
    expect(await call("POST", at("/metrics/data"), { body: batch })).toMatchObject({ status: 202, body: batch.data });
    expect(await hours()).toEqual(
      [
        { metric_id: latency, count: 3, sum: 300 },
        { metric_id: errors, count: 2, sum: 2 },
      ].sort((a, b) => (a.metric_id < b.metric_id ? -1 : 1)),
    );
    const badBatch = await call("POST", at("/metrics/data"), { body: { data: { [latency]: [{ timestamp: now, value: 1 }], [errors]: [{ timestamp: now, value: "much" }] } } });
    expect(badBatch.status).toBe(422);
    expect(JSON.stringify(badBatch.body)).toContain(`data.${errors}.0.value`);
    expect((await hours()).map((h) => h.count).sort()).toEqual([2, 3]);
  });

  it("edits and deletes a metric", async () => {
    const edited = await call("PATCH", at(`/metrics/${errors}`), { body: { metric: { name: "Errors", y_axis_max: 5 } } });
    expect(edited).toMatchObject({ status: 200, body: { name: "Errors", y_axis_max: 5, suffix: "%" } });
    const crossed = await call("PATCH", at(`/metrics/${errors}`), { body: { metric: { y_axis_min: 10 } } });
    expect(crossed.status).toBe(422);
    expect(JSON.stringify(crossed.body)).toContain("metric.y_axis_max");
    expect((await call("DELETE", at(`/metrics/${errors}`))).status).toBe(200);
    expect((await call("GET", at(`/metrics/${errors}`))).status).toBe(404);
    expect((await hours()).map((h) => h.metric_id)).toEqual([latency]);
  });

  it("reads status_embed_config; only an owner key changes it", async () => {
    const read = await call("GET", at("/status_embed_config"), { key: readKey });
    expect(read).toMatchObject({ status: 200, body: { page_id: pageId, position: "bottom-left", incident_background_color: "#b42318" } });
    embedConfigObject.parse(read.body);
    const patch = await call("PATCH", at("/status_embed_config"), { body: { status_embed_config: { position: "top-right" } } });
    expect(patch.status).toBe(403);
    expect((await call("GET", at("/status_embed_config"))).body.position).toBe("bottom-left");
    const ownerKey = (await createApiKey(handle.db, systemActor, { name: "terraform", scope: "owner" })).token;
    const changed = await call("PATCH", at("/status_embed_config"), { key: ownerKey, encoding: "form", body: { status_embed_config: { position: "top-right" } } });
    expect(changed).toMatchObject({ status: 200, body: { position: "top-right" } });
    const unreadable = await call("PATCH", at("/status_embed_config"), { key: ownerKey, body: { status_embed_config: { incident_text_color: "#b42318" } } });
    expect(unreadable.status).toBe(422);
    expect(JSON.stringify(unreadable.body)).toContain("status_embed_config.incident_text_color");
  });
});

/*
 * The Statuspage v1-compatible API over HTTP against the production server
 * (server.ts on the build), on each engine: a Statuspage client's incident
 * flow with form and JSON bodies, the public /api/v2 seeing it, scope
 * refusals, and the per-key rate limit counted in the database.
 */
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { createComponent } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { errorBody, incidentObject } from "#lib/http/statuspage-v1/objects.ts";
import { engines, freshDatabaseUrl } from "../support/databases.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
// 20 an hour: bursts of 20, then one request per 180 s (slow enough that no token comes back during the test, however loaded the machine).
const RATE = { STATUSPAGE_API_RATE_LIMIT: "20", STATUSPAGE_API_RATE_WINDOW: "3600" };

describe.each(engines)("Statuspage v1 API over HTTP on %s", (engine) => {
  let server: NextServer;
  let drop: (() => Promise<void>) | undefined;
  const keys = { write: "", read: "", busy: "" };
  let pageId = "";
  let api = "";

  async function send(method: string, path: string, options: { key?: string | null; form?: object; json?: object } = {}) {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? keys.write : options.key;
    if (key) headers.authorization = `OAuth ${key}`;
    let body: string | undefined;
    if (options.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = qs.stringify(options.form, { arrayFormat: "brackets" });
    } else if (options.json) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${server.url}/api/statuspage/v1/pages/${pageId}${path}`, { method, headers, body, signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async function publicIncidentIds(): Promise<string[]> {
    const body = (await (await fetch(`${server.url}/api/v2/incidents.json`)).json()) as { incidents: { id: string }[] };
    return body.incidents.map((i) => i.id);
  }

  /** /api/v2 is cached and refreshed after a write: wait (bounded) until it shows what is expected. */
  async function eventually(check: () => Promise<boolean>) {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("the public API did not catch up within 15 s");
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    const database = engine === "pg" ? await freshDatabaseUrl() : undefined;
    drop = database?.drop;
    server = await startPreparedServer({
      postgresUrl: database?.url,
      env: { CANDOR_WORKER: "off", ...RATE },
      async prepare(db: Db) {
        keys.write = (await createApiKey(db, owner, { name: "alerting", scope: "write" })).token;
        keys.read = (await createApiKey(db, owner, { name: "reader", scope: "read" })).token;
        keys.busy = (await createApiKey(db, owner, { name: "busy", scope: "read" })).token;
        pageId = (await getPage(db)).id;
        api = (await createComponent(db, systemActor, { name: "API" })).id;
      },
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("a Statuspage client's incident: form create, JSON updates, resolve, delete", async () => {
    const created = await send("POST", "/incidents.json", {
      form: { incident: { name: "Checkout errors", status: "investigating", body: "Looking into it.", components: { [api]: "major_outage" }, metadata: { pagerduty: { id: "P1" } } } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const incident = incidentObject.parse(created.body);
    expect(incident).toMatchObject({ impact: "critical", metadata: { pagerduty: { id: "P1" } } });
    await eventually(async () => (await publicIncidentIds()).includes(incident.id));

    const identified = await send("PATCH", `/incidents/${incident.id}`, { json: { incident: { status: "identified", body: "Found it.", components: { [api]: "partial_outage" } } } });
    expect(identified.status).toBe(200);
    expect(incidentObject.parse(identified.body).incident_updates).toHaveLength(2);
    const resolved = await send("PUT", `/incidents/${incident.id}.json`, { json: { incident: { status: "resolved", components: { [api]: "operational" } } } });
    expect(resolved.body).toMatchObject({ status: "resolved" });
    expect((await send("GET", `/components/${api}`, { key: keys.read })).body.status).toBe("operational");

    const deleted = await send("DELETE", `/incidents/${incident.id}`);
    expect(deleted.status).toBe(200);
    expect(incidentObject.parse(deleted.body).id).toBe(incident.id);
    expect((await send("GET", `/incidents/${incident.id}`)).status).toBe(404);
    await eventually(async () => !(await publicIncidentIds()).includes(incident.id));
  });

  it("a read key cannot write, a stranger gets 401, bad input names the field", async () => {
    const read = await send("POST", "/incidents", { key: keys.read, json: { incident: { name: "No" } } });
    expect(read.status).toBe(403);
    errorBody.parse(read.body);
    expect((await send("POST", "/incidents", { key: null, json: { incident: { name: "No" } } })).status).toBe(401);
    const bad = await send("POST", "/incidents", { form: { incident: { name: "x", components: { [api]: "on_fire" } } } });
    expect(bad.status).toBe(422);
    expect(errorBody.parse(bad.body).error).toContain(`incident.components.${api}`);
    expect((await send("GET", "/incidents", { key: keys.read })).body).toEqual([]);
  });

  it("a key over its rate gets 429 with Retry-After, counted in the database", async () => {
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await send("GET", "/components", { key: keys.busy }));
    expect(answers.slice(0, 20).map((a) => a.status)).toEqual(Array(20).fill(200));
    const limited = answers[20];
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    // One request's share of the window (180 s), less the time the burst took.
    expect(retryAfter).toBeGreaterThanOrEqual(120);
    expect(retryAfter).toBeLessThanOrEqual(180);
    expect(errorBody.parse(limited.body).message).toMatch(/rate/);
    // Another key is counted on its own.
    expect((await send("GET", "/components", { key: keys.read })).status).toBe(200);
  });
});

/*
 * The management API through its route handlers: real Request objects,
 * a fresh database per engine, no mocks.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { createApiKey, revokeApiKey } from "#lib/domain/api-keys.ts";
import { createComponent } from "#lib/domain/components.ts";
import { apiErrorBody } from "#lib/http/error-responses.ts";
import {
  componentList,
  componentResource,
  incidentList,
  incidentResource,
  maintenanceList,
  maintenanceResource,
  updateResource,
} from "#lib/http/management-api/presenters.ts";
import { operations } from "#lib/http/management-api/operations.ts";
import { systemActor } from "#lib/domain/actors.ts";
import * as incidentsRoute from "../../app/api/v1/incidents/route.ts";
import * as incidentRoute from "../../app/api/v1/incidents/[id]/route.ts";
import * as updatesRoute from "../../app/api/v1/incidents/[id]/updates/route.ts";
import * as componentsRoute from "../../app/api/v1/components/route.ts";
import * as componentRoute from "../../app/api/v1/components/[id]/route.ts";
import * as maintenanceListRoute from "../../app/api/v1/maintenance/route.ts";
import * as maintenanceRoute from "../../app/api/v1/maintenance/[id]/route.ts";
import * as openApiRoute from "../../app/api/v1/openapi.json/route.ts";
import { statuspageV1Operations } from "#lib/http/statuspage-v1/openapi.ts";
import * as channelsRoute from "../../app/api/v1/channel-subscribers/route.ts";
import * as channelRoute from "../../app/api/v1/channel-subscribers/[id]/route.ts";
import * as channelTestRoute from "../../app/api/v1/channel-subscribers/[id]/test/route.ts";
import * as channelReenableRoute from "../../app/api/v1/channel-subscribers/[id]/reenable/route.ts";
import { channelSubscriberList, channelTestResult, createdChannelSubscriber } from "#lib/http/management-api/channel-subscribers.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
const BASE = "http://localhost:3204/api/v1";

function request(path: string, init: { method?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return new Request(BASE + path, {
    method: init.method ?? "GET",
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

const API_ROOT = join(process.cwd(), "app/api/v1");
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? routeFiles(path) : name === "route.ts" ? [path] : [];
  });
}

/** Every route handler under app/api/v1: its OpenAPI-style path and exported methods. */
async function routeInventory() {
  const routes = [];
  for (const file of routeFiles(API_ROOT)) {
    const path = "/" + relative(API_ROOT, file).replace(/\/?route\.ts$/, "").replace(/\[(\w+)\]/g, "{$1}");
    const module = (await import(file)) as Record<string, (request: Request, ctx: unknown) => Promise<Response>>;
    for (const method of METHODS) if (module[method]) routes.push({ path, method, handler: module[method] });
  }
  return routes;
}

async function read(response: Response) {
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: await response.json(), headers: response.headers };
}

const declareBody = {
  name: "Elevated API errors",
  severity: "SEV-2",
  body: "We are investigating elevated error rates on the API.",
};

describe.each(engines)("management API on %s", (engine) => {
  let handle: DbHandle;
  let readKey: string;
  let writeKey: string;
  let writeKeyId: string;
  let apiComponent: string;
  let webComponent: string;

  const count = async (table: "incidents" | "incident_updates" | "idempotency_keys") =>
    Number(
      (await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n,
    );

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    readKey = (await createApiKey(handle.db, owner, { name: "dashboard", scope: "read" })).token;
    const write = await createApiKey(handle.db, owner, { name: "pagerduty", scope: "write" });
    writeKey = write.token;
    writeKeyId = write.key.id;
    apiComponent = (await createComponent(handle.db, systemActor, { name: "API" })).id;
    webComponent = (await createComponent(handle.db, systemActor, { name: "Website" })).id;
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  describe("keys and scopes", () => {
    it("answers 401 without a key, with an unknown key and with a malformed header", async () => {
      for (const req of [
        request("/incidents"),
        request("/incidents", { key: "candor_notarealkeynotarealkeynotarealkeynotareal" }),
        request("/incidents", { headers: { authorization: "Basic dXNlcjpwYXNz" } }),
      ]) {
        const { status, body, headers } = await read(await incidentsRoute.GET(req));
        expect(status).toBe(401);
        expect(headers.get("www-authenticate")).toMatch(/^Bearer/);
        expect(apiErrorBody.parse(body).error.message).toMatch(/API key/);
      }
    });

    it("lets a read key read but not write, and its refused write changes nothing", async () => {
      expect((await read(await incidentsRoute.GET(request("/incidents", { key: readKey })))).status).toBe(200);
      expect((await read(await componentsRoute.GET(request("/components", { key: readKey })))).status).toBe(200);
      const before = await count("incidents");
      const refused = await read(
        await incidentsRoute.POST(request("/incidents", { method: "POST", key: readKey, body: declareBody })),
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/write scope/);
      const patch = await componentRoute.PATCH(
        request(`/components/${apiComponent}`, { method: "PATCH", key: readKey, body: { status: "major_outage" } }),
        params(apiComponent),
      );
      expect(patch.status).toBe(403);
      expect(await count("incidents")).toBe(before);
    });

    it("guards every route and method: 401 without a key, 403 for a read key on a write", async () => {
      const routes = (await routeInventory()).filter((r) => r.path !== "/openapi.json");
      expect(routes.length).toBeGreaterThanOrEqual(10);
      const before = await count("incidents");
      for (const route of routes) {
        const path = route.path.replace("{id}", apiComponent);
        const body = route.method === "GET" ? undefined : { status: "major_outage", name: "x", severity: "SEV-1", body: "x" };
        const anonymous = await route.handler(request(path, { method: route.method, body }), params(apiComponent));
        expect(anonymous.status, `${route.method} ${route.path}`).toBe(401);
        if (route.method === "GET") continue;
        const reader = await route.handler(request(path, { method: route.method, key: readKey, body }), params(apiComponent));
        expect(reader.status, `${route.method} ${route.path}`).toBe(403);
      }
      expect(await count("incidents")).toBe(before);
    });

    it("refuses a revoked key with 401", async () => {
      const { key, token } = await createApiKey(handle.db, owner, { name: "old script", scope: "write" });
      expect((await incidentsRoute.GET(request("/incidents", { key: token }))).status).toBe(200);
      await revokeApiKey(handle.db, owner, { id: key.id });
      const { status, body } = await read(await incidentsRoute.GET(request("/incidents", { key: token })));
      expect(status).toBe(401);
      expect(body.error.message).toMatch(/revoked/);
    });

    it("records the last use, writing at most once a minute", async () => {
      const { key, token } = await createApiKey(handle.db, owner, { name: "cron", scope: "read" });
      const lastUsed = () =>
        handle.db.selectFrom("api_keys").select("last_used_at").where("id", "=", key.id).executeTakeFirstOrThrow();
      expect((await lastUsed()).last_used_at).toBeNull();
      await incidentsRoute.GET(request("/incidents", { key: token }));
      const first = (await lastUsed()).last_used_at;
      expect(first).toBeInstanceOf(Date);
      await incidentsRoute.GET(request("/incidents", { key: token }));
      expect((await lastUsed()).last_used_at!.getTime()).toBe(first!.getTime());
      // A use more than a minute after the last recorded one moves it.
      const old = new Date(Date.now() - 120_000);
      await handle.db.updateTable("api_keys").set({ last_used_at: old }).where("id", "=", key.id).execute();
      await incidentsRoute.GET(request("/incidents", { key: token }));
      expect((await lastUsed()).last_used_at!.getTime()).toBeGreaterThan(old.getTime() + 60_000);
    });
  });

  describe("incidents", () => {
    let incidentId: string;

    it("declares an incident, audited as the API key", async () => {
      const { status, body, headers } = await read(
        await incidentsRoute.POST(
          request("/incidents", {
            method: "POST",
            key: writeKey,
            body: { ...declareBody, components: [{ id: apiComponent, status: "partial_outage" }] },
          }),
        ),
      );
      expect(status).toBe(201);
      const incident = incidentResource.parse(body);
      incidentId = incident.id;
      expect(headers.get("location")).toBe(`${BASE}/incidents/${incident.id}`);
      expect(incident).toMatchObject({ name: declareBody.name, status: "investigating", severity: "SEV-2", impact: "major" });
      expect(incident.components).toEqual([{ id: apiComponent, name: "API" }]);
      expect(incident.updates).toHaveLength(1);
      expect(incident.updates[0].components).toEqual([
        { componentId: apiComponent, name: "API", oldStatus: "operational", newStatus: "partial_outage" },
      ]);
      const audit = await handle.db
        .selectFrom("audit_entries")
        .select(["actor", "source"])
        .where("action", "=", "incident.declare")
        .where("subject_id", "=", incident.id)
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ actor: "pagerduty", source: "api_key" });
    });

    it("reads and lists it", async () => {
      const one = await read(await incidentRoute.GET(request(`/incidents/${incidentId}`, { key: readKey }), params(incidentId)));
      expect(one.status).toBe(200);
      expect(incidentResource.parse(one.body).id).toBe(incidentId);
      const open = await read(await incidentsRoute.GET(request("/incidents?status=open&limit=10", { key: readKey })));
      const list = incidentList.parse(open.body);
      expect(list.data.map((i) => i.id)).toContain(incidentId);
      expect(list.pagination).toEqual({ limit: 10, offset: 0, nextOffset: null });
      const resolved = incidentList.parse(
        (await read(await incidentsRoute.GET(request("/incidents?status=resolved", { key: readKey })))).body,
      );
      expect(resolved.data.map((i) => i.id)).not.toContain(incidentId);
    });

    it("answers 404 for an unknown incident, a malformed id and a maintenance id", async () => {
      for (const id of ["zzzzzzzzzzzz", "not-an-id"]) {
        const { status, body } = await read(await incidentRoute.GET(request(`/incidents/${id}`, { key: readKey }), params(id)));
        expect(status).toBe(404);
        expect(body).toEqual({ error: { message: "incident not found", issues: [] } });
      }
      const update = await updatesRoute.POST(
        request("/incidents/zzzzzzzzzzzz/updates", { method: "POST", key: writeKey, body: { status: "identified", body: "Found it." } }),
        params("zzzzzzzzzzzz"),
      );
      expect(update.status).toBe(404);
    });

    it("posts an update that moves the incident and its components", async () => {
      const { status, body } = await read(
        await updatesRoute.POST(
          request(`/incidents/${incidentId}/updates`, {
            method: "POST",
            key: writeKey,
            body: { status: "identified", body: "A bad deploy; rolling back.", components: [{ id: apiComponent, status: "degraded_performance" }] },
          }),
          params(incidentId),
        ),
      );
      expect(status).toBe(201);
      const update = updateResource.parse(body);
      expect(update).toMatchObject({ incidentId, status: "identified", createdBy: "pagerduty" });
      const incident = incidentResource.parse(
        (await read(await incidentRoute.GET(request(`/incidents/${incidentId}`, { key: readKey }), params(incidentId)))).body,
      );
      expect(incident.status).toBe("identified");
      expect(incident.identifiedAt).not.toBeNull();
      expect(incident.updates.map((u) => u.status)).toEqual(["identified", "investigating"]);
      const component = componentResource.parse(
        (await read(await componentRoute.GET(request(`/components/${apiComponent}`, { key: readKey }), params(apiComponent)))).body,
      );
      expect(component.status).toBe("degraded_performance");
    });

    it("names the failing field of an invalid body, and a refused write changes nothing", async () => {
      const before = { incidents: await count("incidents"), updates: await count("incident_updates") };
      const cases: [unknown, string][] = [
        [{ ...declareBody, name: "" }, "name"],
        [{ ...declareBody, severity: "SEV-9" }, "severity"],
        [{ ...declareBody, body: "Impact: {{impact}}" }, "body"],
        [{ ...declareBody, components: [{ id: apiComponent, status: "on_fire" }] }, "components.0.status"],
        [{ ...declareBody, components: [{ id: "zzzzzzzzzzzz", status: "major_outage" }] }, "components.0.id"],
      ];
      for (const [body, field] of cases) {
        const res = await read(await incidentsRoute.POST(request("/incidents", { method: "POST", key: writeKey, body })));
        expect(res.status, field).toBe(422);
        expect(apiErrorBody.parse(res.body).error.issues.map((i) => i.field)).toContain(field);
      }
      const update = await read(
        await updatesRoute.POST(
          request(`/incidents/${incidentId}/updates`, {
            method: "POST",
            key: writeKey,
            body: { status: "monitoring", body: "Watching.", components: [{ id: webComponent, status: "operational" }, { id: "zzzzzzzzzzzz", status: "operational" }] },
          }),
          params(incidentId),
        ),
      );
      expect(update.status).toBe(422);
      expect(update.body.error.issues).toEqual([{ field: "components.1.id", message: "is not a component" }]);
      expect({ incidents: await count("incidents"), updates: await count("incident_updates") }).toEqual(before);
    });

    it("answers 400 for malformed JSON and a bad query parameter, 413 for a huge body", async () => {
      const malformed = await read(await incidentsRoute.POST(request("/incidents", { method: "POST", key: writeKey, body: "{name:" })));
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toMatch(/JSON/);
      const huge = await read(
        await incidentsRoute.POST(
          request("/incidents", { method: "POST", key: writeKey, body: { ...declareBody, body: "x".repeat(1_100_000) } }),
        ),
      );
      expect(huge.status).toBe(413);
      const badQuery = await read(await incidentsRoute.GET(request("/incidents?limit=0&status=sleeping", { key: readKey })));
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.error.issues.map((i: { field: string }) => i.field).sort()).toEqual(["limit", "status"]);
    });
  });

  describe("Idempotency-Key", () => {
    const create = (key: string, body: unknown = { ...declareBody, name: "Login failures" }) =>
      incidentsRoute.POST(
        request("/incidents", { method: "POST", key: writeKey, body, headers: { "idempotency-key": key } }),
      );

    it("creates once for the same key and body, and replays the first response", async () => {
      const before = await count("incidents");
      const first = await read(await create("alert-1001"));
      // Same body with keys in another order: the same request.
      const second = await read(
        await create("alert-1001", { body: declareBody.body, severity: "SEV-2", name: "Login failures" }),
      );
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(first.headers.get("idempotent-replayed")).toBe("false");
      expect(second.headers.get("idempotent-replayed")).toBe("true");
      expect(await count("incidents")).toBe(before + 1);
    });

    it("refuses the same key with a different body", async () => {
      await create("alert-1002");
      const before = await count("incidents");
      const { status, body } = await read(await create("alert-1002", { ...declareBody, name: "Something else" }));
      expect(status).toBe(422);
      expect(body.error.issues[0].field).toBe("Idempotency-Key");
      expect(await count("incidents")).toBe(before);
    });

    it("creates once when two requests with one key race", async () => {
      const before = await count("incidents");
      const results = await Promise.all([create("alert-1003"), create("alert-1003"), create("alert-1003")].map(async (r) => read(await r)));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await count("incidents")).toBe(before + 1);
    });

    it("stores nothing for a failed write, so the fixed request can reuse the key", async () => {
      const failed = await read(await create("alert-1004", { ...declareBody, components: [{ id: "zzzzzzzzzzzz", status: "major_outage" }] }));
      expect(failed.status).toBe(422);
      const stored = await handle.db.selectFrom("idempotency_keys").select("key").where("key", "=", "alert-1004").execute();
      expect(stored).toEqual([]);
      expect((await create("alert-1004")).status).toBe(201);
    });

    it("scopes keys to the API key that sent them and rejects a malformed key", async () => {
      const rows = await handle.db.selectFrom("idempotency_keys").select(["api_key_id"]).distinct().execute();
      expect(rows).toEqual([{ api_key_id: writeKeyId }]);
      const { status, body } = await read(await create("has space"));
      expect(status).toBe(400);
      expect(body.error.issues[0].field).toBe("Idempotency-Key");
    });
  });

  describe("components and maintenance", () => {
    it("lists components and changes a status outside an incident", async () => {
      const list = componentList.parse((await read(await componentsRoute.GET(request("/components", { key: readKey })))).body);
      expect(list.data.map((c) => c.name)).toEqual(["API", "Website"]);
      const { status, body } = await read(
        await componentRoute.PATCH(
          request(`/components/${webComponent}`, { method: "PATCH", key: writeKey, body: { status: "under_maintenance" } }),
          params(webComponent),
        ),
      );
      expect(status).toBe(200);
      expect(componentResource.parse(body).status).toBe("under_maintenance");
      const invalid = await read(
        await componentRoute.PATCH(
          request(`/components/${webComponent}`, { method: "PATCH", key: writeKey, body: { status: "sunny" } }),
          params(webComponent),
        ),
      );
      expect(invalid.status).toBe(422);
      expect(invalid.body.error.issues[0].field).toBe("status");
      const missing = await componentRoute.PATCH(
        request("/components/zzzzzzzzzzzz", { method: "PATCH", key: writeKey, body: { status: "operational" } }),
        params("zzzzzzzzzzzz"),
      );
      expect(missing.status).toBe(404);
    });

    it("adds, lists, tests, re-enables and removes channel subscribers; the URL never comes back", async () => {
      const created = await read(
        await channelsRoute.POST(
          request("/channel-subscribers", { method: "POST", key: writeKey, body: { url: "https://hooks.slack.com/services/T0/B0/credential", events: ["incident", "component"] } }),
        ),
      );
      expect(created.status).toBe(201);
      const resource = createdChannelSubscriber.parse(created.body);
      expect(resource).toMatchObject({ channel: "slack", host: "hooks.slack.com", events: ["incident", "component"], components: null, status: "active" });
      expect(created.headers.get("location")).toBe(`${BASE}/channel-subscribers/${resource.id}`);
      const refused = await read(await channelsRoute.POST(request("/channel-subscribers", { method: "POST", key: writeKey, body: { url: "ftp://x" } })));
      expect(refused.status).toBe(422);
      expect(refused.body.error.issues[0].field).toBe("url");

      const listed = await read(await channelsRoute.GET(request("/channel-subscribers", { key: readKey })));
      expect(channelSubscriberList.parse(listed.body).data.map((s) => s.id)).toContain(resource.id);
      expect(JSON.stringify(listed.body)).not.toContain("credential");
      expect(JSON.stringify(listed.body)).not.toContain(resource.secret);
      const one = await read(await channelRoute.GET(request(`/channel-subscribers/${resource.id}`, { key: readKey }), params(resource.id)));
      expect(one.body).not.toHaveProperty("secret");
      expect((await channelRoute.GET(request("/channel-subscribers/nope", { key: readKey }), params("nope"))).status).toBe(404);

      // A test to a private address: refused before any connection, and said so in the answer.
      const internal = createdChannelSubscriber.parse(
        (await read(await channelsRoute.POST(request("/channel-subscribers", { method: "POST", key: writeKey, body: { url: "https://10.1.2.3/hook" } })))).body,
      );
      const tested = await read(await channelTestRoute.POST(request(`/channel-subscribers/${internal.id}/test`, { method: "POST", key: writeKey }), params(internal.id)));
      expect(tested.status).toBe(200);
      expect(channelTestResult.parse(tested.body)).toMatchObject({ ok: false, status: null, message: expect.stringMatching(/^refused: 10\.1\.2\.3/) });

      const reenabled = await read(await channelReenableRoute.POST(request(`/channel-subscribers/${resource.id}/reenable`, { method: "POST", key: writeKey }), params(resource.id)));
      expect(reenabled.body).toMatchObject({ id: resource.id, status: "active", failures: 0 });
      const removed = await channelRoute.DELETE(request(`/channel-subscribers/${resource.id}`, { method: "DELETE", key: writeKey }), params(resource.id));
      expect(removed.status).toBe(204);
      expect((await channelRoute.GET(request(`/channel-subscribers/${resource.id}`, { key: readKey }), params(resource.id))).status).toBe(404);
    });

    it("schedules, lists and reads maintenance", async () => {
      const scheduledFor = new Date(Date.now() + 86_400_000).toISOString();
      const scheduledUntil = new Date(Date.now() + 90_000_000).toISOString();
      const created = await read(
        await maintenanceListRoute.POST(
          request("/maintenance", {
            method: "POST",
            key: writeKey,
            headers: { "idempotency-key": "mnt-1" },
            body: { name: "Database upgrade", body: "We will upgrade the primary database.", components: [apiComponent], scheduledFor, scheduledUntil },
          }),
        ),
      );
      expect(created.status).toBe(201);
      const maintenance = maintenanceResource.parse(created.body);
      expect(maintenance).toMatchObject({ status: "scheduled", scheduledFor, scheduledUntil, components: [{ id: apiComponent, name: "API" }] });
      const list = maintenanceList.parse(
        (await read(await maintenanceListRoute.GET(request("/maintenance?status=open", { key: readKey })))).body,
      );
      expect(list.data.map((m) => m.id)).toEqual([maintenance.id]);
      const one = await read(await maintenanceRoute.GET(request(`/maintenance/${maintenance.id}`, { key: readKey }), params(maintenance.id)));
      expect(maintenanceResource.parse(one.body).updates).toHaveLength(1);
      // A maintenance is not an incident.
      expect((await incidentRoute.GET(request(`/incidents/${maintenance.id}`, { key: readKey }), params(maintenance.id))).status).toBe(404);

      const backwards = await read(
        await maintenanceListRoute.POST(
          request("/maintenance", {
            method: "POST",
            key: writeKey,
            body: { name: "Backwards", body: "Oops.", scheduledFor: scheduledUntil, scheduledUntil: scheduledFor },
          }),
        ),
      );
      expect(backwards.status).toBe(422);
      expect(backwards.body.error.issues[0].field).toBe("scheduledUntil");
    });
  });
});

describe("OpenAPI document", () => {
  it("is public JSON that documents every route, method and schema", async () => {
    const response = await openApiRoute.GET(new Request(`${BASE}/openapi.json`));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const doc = JSON.parse(await response.text());
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: BASE }]);
    // Valid against the OpenAPI 3.1 schema, every $ref resolvable (the validator dereferences in place: give it a copy).
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();

    // Every route file under app/api/v1 and each method it exports is in the document.
    // (Paths with their own server are the Statuspage v1-compatible API's, checked below.)
    const own = Object.entries(doc.paths as Record<string, Record<string, unknown>>).filter(([, item]) => !item.servers);
    const documented = own.flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const routed = (await routeInventory()).map((r) => `${r.method} ${r.path}`);
    expect(routed.length).toBeGreaterThanOrEqual(11);
    expect(documented.sort()).toEqual(routed.sort());

    // Every operation names its request and response schema, and every $ref resolves.
    for (const op of operations) {
      const entry = doc.paths[op.path][op.method.toLowerCase()];
      expect(entry.operationId).toBe(op.operationId);
      expect(doc.components.schemas[op.response.name], op.response.name).toBeDefined();
      if (op.body) {
        expect(entry.requestBody.content["application/json"].schema.$ref).toBe(`#/components/schemas/${op.body.name}`);
      }
    }
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const target = ref.split("/").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc);
      expect(target, ref).toBeDefined();
    }

    // The request schemas are the domain's: required fields, enums and date-times carried over.
    const create = doc.components.schemas.CreateIncident;
    expect(create.required.sort()).toEqual(["body", "name", "severity"]);
    expect(create.properties.severity.enum).toEqual(["SEV-1", "SEV-2", "SEV-3", "SEV-4"]);
    expect(create.properties.startedAt).toMatchObject({ type: "string", format: "date-time" });
    expect(doc.components.schemas.CreateMaintenance.required).toEqual(
      expect.arrayContaining(["name", "body", "scheduledFor", "scheduledUntil"]),
    );
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["message", "issues"]);
    expect(doc.paths["/incidents"].post.parameters.map((p: { name: string }) => p.name)).toContain("Idempotency-Key");

    // The Statuspage v1-compatible API: every operation under its own server, bodies and answers from its zod schemas.
    for (const op of statuspageV1Operations) {
      const item = doc.paths[`/pages/{page_id}${op.path}`];
      expect(item.servers, op.path).toEqual([{ url: "/api/statuspage/v1", description: "Statuspage v1-compatible" }]);
      const entry = item[op.method];
      expect(entry["x-required-scope"], `${op.method} ${op.path}`).toBe(op.scope);
      if (op.body) expect(entry.requestBody.content["application/x-www-form-urlencoded"].schema.$ref).toBe(`#/components/schemas/${op.body[0]}`);
      if (op.response.object) expect(doc.components.schemas[op.response.object[0]]).toBeDefined();
    }
    const v1Incident = doc.components.schemas.StatuspageIncidentBody.properties.incident.properties;
    expect(v1Incident.status.enum).toContain("in_progress");
    expect(v1Incident.scheduled_for).toMatchObject({ type: "string", format: "date-time" });
    expect(doc.components.schemas.StatuspageIncident.required).toEqual(expect.arrayContaining(["impact_override", "metadata", "incident_updates"]));
  });
});

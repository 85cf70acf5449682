/*
 * The Statuspage v1-compatible API (read side) through its route handler:
 * real Request objects, a fresh database per engine, objects checked
 * field for field against the reference (docs: statuspage-v1 §3).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey, revokeApiKey } from "#lib/domain/api-keys.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import * as route from "../../app/api/statuspage/v1/[[...path]]/route.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { componentObject, errorBody, groupObject, incidentObject, pageObject } from "#lib/http/statuspage-v1/objects.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
const BASE = "http://localhost:3204/api/statuspage/v1/";

describe.each(engines)("Statuspage v1 API on %s", (engine) => {
  let handle: DbHandle;
  let readKey: string;
  let pageId: string;
  let groupId: string;
  let api: string;
  let web: string;
  let db: string;
  let openId: string;
  let resolvedId: string;
  let upcomingId: string;

  async function get(path: string, auth: "oauth" | "bearer" | "query" | "none" | string = "oauth") {
    const url = new URL(path, BASE);
    const headers: Record<string, string> = {};
    if (auth === "oauth") headers.authorization = `OAuth ${readKey}`;
    else if (auth === "bearer") headers.authorization = `Bearer ${readKey}`;
    else if (auth === "query") url.searchParams.set("api_key", readKey);
    else if (auth !== "none") headers.authorization = `OAuth ${auth}`;
    const segments = url.pathname.replace("/api/statuspage/v1/", "").split("/");
    const response = await route.GET(new Request(url, { headers }), { params: Promise.resolve({ path: segments }) });
    return { status: response.status, body: await response.json() };
  }

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    readKey = (await createApiKey(handle.db, owner, { name: "importer", scope: "read" })).token;
    pageId = (await getPage(handle.db)).id;
    groupId = (await createGroup(handle.db, systemActor, { name: "Backend" })).id;
    web = (await createComponent(handle.db, systemActor, { name: "Website" })).id;
    api = (await createComponent(handle.db, systemActor, { name: "API", groupId })).id;
    db = (await createComponent(handle.db, systemActor, { name: "Database", groupId })).id;
    const resolved = await declareIncident(handle.db, systemActor, { name: "Old outage", severity: "SEV-3", body: "Looking." });
    resolvedId = resolved.incident.id;
    await postUpdate(handle.db, systemActor, { incidentId: resolvedId, status: "resolved", body: "Fixed." });
    openId = (
      await declareIncident(handle.db, systemActor, {
        name: "Slow API",
        severity: "SEV-2",
        body: "Investigating.",
        components: [{ id: api, status: "degraded_performance" }],
      })
    ).incident.id;
    const start = new Date(Date.now() + 86_400_000);
    upcomingId = (
      await scheduleMaintenance(handle.db, systemActor, {
        name: "Database upgrade",
        body: "Upgrading.",
        components: [db],
        scheduledFor: start.toISOString(),
        scheduledUntil: new Date(start.getTime() + 3_600_000).toISOString(),
      })
    ).maintenance.id;
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  it("accepts the key as OAuth, Bearer or ?api_key=, and the .json suffix", async () => {
    for (const auth of ["oauth", "bearer", "query"] as const) {
      const { status, body } = await get(`pages/${pageId}`, auth);
      expect(status, auth).toBe(200);
      expect(body.id).toBe(pageId);
    }
    expect((await get(`pages/${pageId}.json`)).status).toBe(200);
    expect((await get(`pages/${pageId}/components.json`)).body).toHaveLength(3);
  });

  it("401 without a key or with a bad or revoked key, in Statuspage's error body", async () => {
    const { key, token } = await createApiKey(handle.db, owner, { name: "old", scope: "read" });
    await revokeApiKey(handle.db, owner, { id: key.id });
    for (const auth of ["none", "cnd_not-a-real-key", "garbage", token]) {
      const { status, body } = await get(`pages/${pageId}/components`, auth);
      expect(status, auth).toBe(401);
      errorBody.parse(body);
    }
  });

  it("404 for an unknown page, object or endpoint", async () => {
    for (const path of [
      "pages/nosuchpage000",
      "pages/nosuchpage000/components",
      `pages/${pageId}/components/zzzzzzzzzzzz`,
      `pages/${pageId}/component-groups/zzzzzzzzzzzz`,
      `pages/${pageId}/incidents/zzzzzzzzzzzz`,
      `pages/${pageId}/metrics/zzzzzzzzzzzz`,
      // Page access users (audience-specific pages) are a Statuspage feature Candor has none of.
      `pages/${pageId}/page_access_users`,
      "pages",
    ]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(404);
      expect(errorBody.parse(body).error).toBe(body.message);
    }
  });

  it("400 for a bad query", async () => {
    for (const query of ["limit=0", "limit=101", "page=0", "limit=abc"]) {
      const { status, body } = await get(`pages/${pageId}/incidents?${query}`);
      expect(status, query).toBe(400);
      errorBody.parse(body);
    }
    expect((await get(`pages/${pageId}/incidents/unresolved?per_page=500`)).status).toBe(400);
  });

  it("the page object", async () => {
    const { body } = await get(`pages/${pageId}`);
    const page = pageObject.parse(body);
    expect(page.time_zone).toBe((await getPage(handle.db)).time_zone);
  });

  it("components field for field, in page order, paged", async () => {
    const { body } = await get(`pages/${pageId}/components`);
    const list = z.array(componentObject).parse(body);
    // The group (created first) comes first with its children, then the loose component.
    expect(list.map((c) => c.id)).toEqual([api, db, web]);
    expect(list[0]).toMatchObject({ group_id: groupId, page_id: pageId, status: "degraded_performance" });
    expect(componentObject.parse((await get(`pages/${pageId}/components/${web}`)).body).name).toBe("Website");
    expect((await get(`pages/${pageId}/components?per_page=2&page=2`)).body.map((c: { id: string }) => c.id)).toEqual([web]);
  });

  it("component groups field for field", async () => {
    const list = z.array(groupObject).parse((await get(`pages/${pageId}/component-groups`)).body);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: groupId, name: "Backend", components: [api, db] });
    expect(groupObject.parse((await get(`pages/${pageId}/component-groups/${groupId}.json`)).body).id).toBe(groupId);
  });

  it("incidents field for field, with q, limit and page", async () => {
    const all = z.array(incidentObject).parse((await get(`pages/${pageId}/incidents`)).body);
    expect(all.map((i) => i.id)).toEqual([upcomingId, openId, resolvedId]);
    const open = all[1];
    expect(open.components.map((c) => c.id)).toEqual([api]);
    expect(open.incident_updates[0].affected_components).toEqual([
      { code: api, name: "Backend - API", old_status: "operational", new_status: "degraded_performance" },
    ]);
    expect(all[0].scheduled_for).not.toBeNull();
    expect(all[2].resolved_at).not.toBeNull();
    // Times carry milliseconds and the page's zone, as /api/v2's do.
    expect(open.created_at).toMatch(/\.\d{3}(Z|[+-]\d\d:\d\d)$/);

    const page2 = (await get(`pages/${pageId}/incidents?limit=2&page=2`)).body;
    expect(page2.map((i: { id: string }) => i.id)).toEqual([resolvedId]);
    const search = (await get(`pages/${pageId}/incidents?q=slow`)).body;
    expect(search.map((i: { id: string }) => i.id)).toEqual([openId]);
    // q is a plain substring: a % in it matches only a %.
    expect((await get(`pages/${pageId}/incidents?q=%25`)).body).toEqual([]);
    expect(incidentObject.parse((await get(`pages/${pageId}/incidents/${openId}`)).body).name).toBe("Slow API");
  });

  it("unresolved, upcoming, scheduled and active maintenance filter", async () => {
    const ids = async (name: string) => (await get(`pages/${pageId}/incidents/${name}`)).body.map((i: { id: string }) => i.id);
    expect(await ids("unresolved")).toEqual([openId]);
    expect(await ids("upcoming")).toEqual([upcomingId]);
    expect(await ids("scheduled")).toEqual([upcomingId]);
    expect(await ids("active_maintenance")).toEqual([]);
    z.array(incidentObject).parse((await get(`pages/${pageId}/incidents/upcoming.json`)).body);
  });
});

/*
 * The Statuspage v1-compatible API's write side through its route handler:
 * real Request objects with JSON and bracket-notation form bodies, a fresh
 * database per engine, answers checked field for field against the
 * reference (test/support/statuspage-v1-objects.ts), refusals checked to
 * name the field and to leave the database as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { statuspageV1Client } from "../support/statuspage-v1-client.ts";
import { seedActiveSubscribers } from "../support/subscribers.ts";
import { componentObject, errorBody, groupObject, incidentObject, updateObject } from "#lib/http/statuspage-v1/objects.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
type Incident = z.infer<typeof incidentObject>;
// The default rate (60 a minute per key) would cut these tests short; the rate test sets its own.
process.env.STATUSPAGE_API_RATE_LIMIT = "100000";

describe.each(engines)("Statuspage v1 API writes on %s", (engine) => {
  let handle: DbHandle;
  let readKey: string;
  let writeKey: string;
  let pageId: string;
  let groupId: string;
  let api: string;
  let web: string;
  let dbc: string;

  const call = statuspageV1Client(() => writeKey);
  const get = (path: string) => call("GET", path);
  const at = (rest = "") => `pages/${pageId}${rest}`;

  async function counts() {
    const count = async (table: "incidents" | "incident_updates" | "components" | "component_groups" | "audit_entries") =>
      Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    return {
      incidents: await count("incidents"),
      updates: await count("incident_updates"),
      components: await count("components"),
      groups: await count("component_groups"),
      audit: await count("audit_entries"),
    };
  }

  async function componentStatus(id: string) {
    return componentObject.parse((await get(at(`/components/${id}`))).body).status;
  }

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    readKey = (await createApiKey(handle.db, owner, { name: "reader", scope: "read" })).token;
    writeKey = (await createApiKey(handle.db, owner, { name: "alerting", scope: "write" })).token;
    pageId = (await getPage(handle.db)).id;
    groupId = (await createGroup(handle.db, systemActor, { name: "Backend" })).id;
    web = (await createComponent(handle.db, systemActor, { name: "Website" })).id;
    api = (await createComponent(handle.db, systemActor, { name: "API", groupId })).id;
    dbc = (await createComponent(handle.db, systemActor, { name: "Database", groupId })).id;
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  it.each(["json", "form"] as const)("a Statuspage client's incident, start to end (%s)", async (encoding) => {
    const created = await call("POST", at("/incidents.json"), {
      encoding,
      body: { incident: { name: `Checkout down (${encoding})`, status: "investigating", body: "We are looking.", components: { [api]: "major_outage" } } },
    });
    expect(created.status).toBe(201);
    const incident = incidentObject.parse(created.body);
    expect(incident).toMatchObject({ status: "investigating", impact: "critical", impact_override: null, page_id: pageId });
    expect(incident.components.map((c) => c.id)).toEqual([api]);
    expect(incident.incident_updates[0].affected_components).toEqual([
      { code: api, name: "Backend - API", old_status: "operational", new_status: "major_outage" },
    ]);
    expect(await componentStatus(api)).toBe("major_outage");
    const row = await handle.db.selectFrom("incidents").select(["severity", "impact"]).where("id", "=", incident.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ severity: "SEV-1", impact: "critical" });

    const identified = await call("PATCH", at(`/incidents/${incident.id}`), {
      encoding,
      body: { incident: { status: "identified", body: "A bad deploy.", components: { [api]: "partial_outage" }, deliver_notifications: false } },
    });
    expect(identified.status).toBe(200);
    const after = incidentObject.parse(identified.body);
    expect(after.status).toBe("identified");
    expect(after.incident_updates.map((u) => u.body)).toEqual(["A bad deploy.", "We are looking."]);
    expect(after.incident_updates[0].deliver_notifications).toBe(false);
    expect(await componentStatus(api)).toBe("partial_outage");

    const resolved = await call("PUT", at(`/incidents/${incident.id}.json`), {
      encoding,
      body: { incident: { status: "resolved", body: "Rolled back.", components: { [api]: "operational" } } },
    });
    expect(resolved.status).toBe(200);
    expect(incidentObject.parse(resolved.body)).toMatchObject({ status: "resolved" });
    expect(resolved.body.resolved_at).not.toBeNull();
    expect(await componentStatus(api)).toBe("operational");

    const deleted = await call("DELETE", at(`/incidents/${incident.id}`));
    expect(deleted.status).toBe(200);
    expect(incidentObject.parse(deleted.body).id).toBe(incident.id);
    expect((await get(at(`/incidents/${incident.id}`))).status).toBe(404);
    // Uptime history stays: the component's recorded changes outlive the incident.
    expect(await componentStatus(api)).toBe("operational");
    const audit = await handle.db.selectFrom("audit_entries").select(["action", "actor", "source"]).where("subject_id", "=", incident.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["incident.declare", "incident.update", "incident.update", "incident.delete"]);
    expect(audit.every((a) => a.actor === "alerting" && a.source === "api_key")).toBe(true);
  });

  it.each(["json", "form"] as const)("impact_override, component lists and metadata (%s)", async (encoding) => {
    const created = await call("POST", at("/incidents"), {
      encoding,
      body: {
        incident: {
          name: "Slow search",
          body: "Slower than usual.",
          impact_override: "minor",
          component_ids: [web],
          components: [dbc],
          metadata: { jira: { issue_id: "OPS-12" } },
        },
      },
    });
    expect(created.status).toBe(201);
    const incident = incidentObject.parse(created.body);
    expect(incident).toMatchObject({ impact: "minor", impact_override: "minor", status: "investigating", metadata: { jira: { issue_id: "OPS-12" } } });
    // Listed without a status: linked, not changed.
    expect(incident.components.map((c) => c.id).sort()).toEqual([web, dbc].sort());
    expect(await componentStatus(web)).toBe("operational");

    const raised = await call("PATCH", at(`/incidents/${incident.id}`), { encoding, body: { incident: { impact_override: "critical", name: "Search down" } } });
    expect(incidentObject.parse(raised.body)).toMatchObject({ impact: "critical", impact_override: "critical", name: "Search down" });
    // Details alone post no update.
    expect(raised.body.incident_updates).toHaveLength(1);
    const row = await handle.db.selectFrom("incidents").select(["severity"]).where("id", "=", incident.id).executeTakeFirstOrThrow();
    expect(row.severity).toBe("SEV-1");
    await call("DELETE", at(`/incidents/${incident.id}`));
  });

  it("without an override, worse component statuses raise the impact and better ones keep it", async () => {
    const severity = async (id: string) => (await handle.db.selectFrom("incidents").select("severity").where("id", "=", id).executeTakeFirstOrThrow()).severity;
    const created = incidentObject.parse((await call("POST", at("/incidents"), { body: { incident: { name: "Odd errors", component_ids: [web] } } })).body);
    expect(created).toMatchObject({ impact: "none", impact_override: null });
    expect(created.incident_updates[0].body).toBe("Investigating.");
    expect(await severity(created.id)).toBe("SEV-4");
    const worse = await call("PATCH", at(`/incidents/${created.id}`), { encoding: "form", body: { incident: { components: { [web]: "partial_outage" } } } });
    expect(worse.body).toMatchObject({ impact: "major", status: "investigating" });
    expect(await severity(created.id)).toBe("SEV-2");
    const better = await call("PATCH", at(`/incidents/${created.id}`), { body: { incident: { status: "resolved", components: { [web]: "operational" } } } });
    expect(better.body).toMatchObject({ impact: "major", status: "resolved" });
    // An override holds against component statuses.
    const held = incidentObject.parse((await call("POST", at("/incidents"), { body: { incident: { name: "Held", impact_override: "minor", components: { [web]: "degraded_performance" } } } })).body);
    const still = await call("PATCH", at(`/incidents/${held.id}`), { body: { incident: { components: { [web]: "major_outage" } } } });
    expect(still.body).toMatchObject({ impact: "minor", impact_override: "minor" });
    await call("PATCH", at(`/incidents/${held.id}`), { body: { incident: { status: "resolved", components: { [web]: "operational" } } } });
  });

  it("scheduled maintenance through the incident endpoints", async () => {
    const start = new Date(Date.now() + 86_400_000);
    const end = new Date(start.getTime() + 3_600_000);
    const created = await call("POST", at("/incidents"), {
      encoding: "form",
      body: {
        incident: {
          name: "Database upgrade",
          status: "scheduled",
          scheduled_for: start.toISOString(),
          scheduled_until: end.toISOString(),
          scheduled_remind_prior: true,
          scheduled_auto_in_progress: true,
          scheduled_auto_completed: true,
          component_ids: [dbc],
          body: "Upgrading PostgreSQL.",
        },
      },
    });
    expect(created.status).toBe(201);
    const m = incidentObject.parse(created.body);
    expect(m).toMatchObject({ status: "scheduled", impact: "maintenance", scheduled_auto_in_progress: true, scheduled_remind_prior: true });
    expect(new Date(m.scheduled_for!).getTime()).toBe(start.getTime());
    expect((await get(at("/incidents/upcoming"))).body.map((i: Incident) => i.id)).toContain(m.id);

    const settings = await call("PATCH", at(`/incidents/${m.id}`), { encoding: "form", body: { incident: { scheduled_auto_in_progress: false, scheduled_auto_completed: false, scheduled_remind_prior: false } } });
    expect(settings.body).toMatchObject({ scheduled_auto_in_progress: false, scheduled_auto_completed: false, scheduled_remind_prior: false });
    expect(settings.body.incident_updates).toHaveLength(1);
    const later = new Date(start.getTime() + 7_200_000);
    const moved = await call("PATCH", at(`/incidents/${m.id}`), { body: { incident: { scheduled_for: later.toISOString(), scheduled_until: new Date(later.getTime() + 3_600_000).toISOString() } } });
    expect(new Date(moved.body.scheduled_for).getTime()).toBe(later.getTime());

    const started = await call("PATCH", at(`/incidents/${m.id}`), { body: { incident: { status: "in_progress", body: "Started." } } });
    expect(incidentObject.parse(started.body).status).toBe("in_progress");
    expect(await componentStatus(dbc)).toBe("under_maintenance");
    const done = await call("PATCH", at(`/incidents/${m.id}`), { body: { incident: { status: "completed" } } });
    expect(done.body.status).toBe("completed");
    expect(await componentStatus(dbc)).toBe("operational");
    const critical = await call("POST", at("/incidents"), {
      body: { incident: { name: "Emergency window", impact_override: "critical", scheduled_for: start.toISOString(), scheduled_until: end.toISOString() } },
    });
    expect(incidentObject.parse(critical.body)).toMatchObject({ impact: "critical", impact_override: "critical", status: "scheduled" });
    await call("DELETE", at(`/incidents/${critical.body.id}`));
    const before = await counts();
    const back = await call("PATCH", at(`/incidents/${m.id}`), { body: { incident: { status: "in_progress", name: "Renamed" } } });
    expect(back.status).toBe(422);
    expect(back.body.error).toContain("incident.status");
    const late = await call("PATCH", at(`/incidents/${m.id}`), { body: { incident: { scheduled_for: start.toISOString(), metadata: { a: { b: 1 } } } } });
    expect(late.status).toBe(422);
    expect(late.body.error).toContain("incident.scheduled_for");
    // Refused whole: not even the name or metadata changed.
    expect(await counts()).toEqual(before);
    expect((await get(at(`/incidents/${m.id}`))).body).toMatchObject({ name: "Database upgrade", metadata: {} });
  });

  it("a backfilled incident: resolved at its date, nobody told", async () => {
    const before = Number((await handle.db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const created = await call("POST", at("/incidents"), {
      body: { incident: { name: "Last week's outage", backfilled: true, backfill_date: "2026-01-05T10:00:00Z", body: "It happened." } },
    });
    expect(created.status).toBe(201);
    const incident = incidentObject.parse(created.body);
    expect(incident.status).toBe("resolved");
    expect(new Date(incident.created_at).toISOString()).toBe("2026-01-05T10:00:00.000Z");
    expect(incident.incident_updates[0].deliver_notifications).toBe(false);
    const after = Number((await handle.db.selectFrom("deliveries").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before);
  });

  it.each(["json", "form"] as const)("incident_updates/{id}: a silent correction (%s)", async (encoding) => {
    const incident = (await call("POST", at("/incidents"), { body: { incident: { name: "Typo", body: "Teh API is slow." } } })).body as Incident;
    const updateId = incident.incident_updates[0].id;
    const fixed = await call("PATCH", at(`/incidents/${incident.id}/incident_updates/${updateId}`), { encoding, body: { incident_update: { body: "The API is slow." } } });
    expect(fixed.status).toBe(200);
    expect(updateObject.parse(fixed.body)).toMatchObject({ id: updateId, body: "The API is slow." });
    expect((await call("PATCH", at(`/incidents/${incident.id}/incident_updates/zzzzzzzzzzzz`), { body: { incident_update: { body: "x" } } })).status).toBe(404);
  });

  it.each(["json", "form"] as const)("components: create, flip a status, edit, delete (%s)", async (encoding) => {
    const created = await call("POST", at("/components"), {
      encoding,
      body: { component: { name: `Webhooks ${encoding}`, description: "Outgoing webhooks", group_id: groupId, showcase: false, status: "degraded_performance", start_date: "2025-01-01" } },
    });
    expect(created.status).toBe(201);
    const c = componentObject.parse(created.body);
    expect(c).toMatchObject({ group_id: groupId, showcase: false, status: "degraded_performance", start_date: "2025-01-01", description: "Outgoing webhooks" });

    const flipped = await call("PATCH", at(`/components/${c.id}`), { encoding, body: { component: { status: "major_outage" } } });
    expect(flipped.status).toBe(200);
    expect(componentObject.parse(flipped.body)).toMatchObject({ status: "major_outage", name: c.name, showcase: false, group_id: groupId });

    const edited = await call("PUT", at(`/components/${c.id}`), { encoding, body: { component: { name: "Hooks", group_id: "", only_show_if_degraded: true } } });
    expect(componentObject.parse(edited.body)).toMatchObject({ name: "Hooks", group_id: null, only_show_if_degraded: true, status: "major_outage", showcase: false });

    const deleted = await call("DELETE", at(`/components/${c.id}`));
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
    expect((await get(at(`/components/${c.id}`))).status).toBe(404);
  });

  it.each(["json", "form"] as const)("component groups: create with members, change them, delete (%s)", async (encoding) => {
    const a = (await createComponent(handle.db, systemActor, { name: `Edge A ${encoding}` })).id;
    const b = (await createComponent(handle.db, systemActor, { name: `Edge B ${encoding}` })).id;
    const created = await call("POST", at("/component-groups"), { encoding, body: { component_group: { name: `Edge ${encoding}`, components: [a, b] }, description: "CDN" } });
    expect(created.status).toBe(201);
    const g = groupObject.parse(created.body);
    expect(g).toMatchObject({ name: `Edge ${encoding}`, description: "CDN", components: [a, b] });

    const changed = await call("PATCH", at(`/component-groups/${g.id}`), { encoding, body: { component_group: { name: "Edge network", components: [b] } } });
    expect(groupObject.parse(changed.body)).toMatchObject({ name: "Edge network", description: "CDN", components: [b] });
    expect(componentObject.parse((await get(at(`/components/${a}`))).body).group_id).toBeNull();

    const deleted = await call("DELETE", at(`/component-groups/${g.id}`));
    expect(deleted.status).toBe(200);
    expect(groupObject.parse(deleted.body).id).toBe(g.id);
    expect((await get(at(`/component-groups/${g.id}`))).status).toBe(404);
    expect(componentObject.parse((await get(at(`/components/${b}`))).body).group_id).toBeNull();
  });

  it("deliver_notifications decides whether subscribers are emailed about an update", async () => {
    await seedActiveSubscribers(handle.db, [{ email: "watcher@example.com" }]);
    const queued = async () =>
      (await handle.db.selectFrom("deliveries").select("update_id").where("kind", "=", "incident").execute()).map((d) => d.update_id);
    const before = await queued();
    const told = incidentObject.parse((await call("POST", at("/incidents"), { encoding: "form", body: { incident: { name: "Told", body: "Hello." } } })).body);
    const afterCreate = await queued();
    expect(afterCreate.filter((id) => !before.includes(id))).toEqual([told.incident_updates[0].id]);
    await call("PATCH", at(`/incidents/${told.id}`), { encoding: "form", body: { incident: { status: "monitoring", body: "Quiet.", deliver_notifications: false } } });
    expect(await queued()).toEqual(afterCreate);
    const silent = (await call("POST", at("/incidents"), { body: { incident: { name: "Silent", body: "Shh.", deliver_notifications: false } } })).body as Incident;
    expect(silent.incident_updates[0].deliver_notifications).toBe(false);
    expect(await queued()).toEqual(afterCreate);
  });

  it("page settings need an owner key: a write key is refused and changes nothing", async () => {
    const refused = await call("PATCH", at(), { body: { page: { name: "Renamed" } } });
    expect(refused.status).toBe(403);
    errorBody.parse(refused.body);
    expect((await getPage(handle.db)).name).not.toBe("Renamed");
    const ownerKey = (await createApiKey(handle.db, owner, { name: "terraform", scope: "owner" })).token;
    const before = await getPage(handle.db);
    const renamed = await call("PATCH", at(), { key: ownerKey, encoding: "form", body: { page: { name: "Renamed", time_zone: "Europe/Paris" } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Renamed", time_zone: "Europe/Paris" });
    const after = await getPage(handle.db);
    expect([after.name, after.time_zone, after.url]).toEqual(["Renamed", "Europe/Paris", before.url]);
    await call("PATCH", at(), { key: ownerKey, body: { page: { name: before.name, time_zone: before.time_zone } } });
  });

  it("a read key cannot write, a stranger is 401, and neither changes anything", async () => {
    const before = await counts();
    const body = { incident: { name: "Nope", body: "Nope." } };
    const read = await call("POST", at("/incidents"), { body, key: readKey });
    expect(read.status).toBe(403);
    expect(errorBody.parse(read.body).error).toMatch(/write scope/);
    for (const [method, path] of [["PATCH", `/components/${web}`], ["DELETE", `/components/${web}`], ["POST", "/component-groups"]] as const) {
      expect((await call(method, at(path), { body: { component: { status: "major_outage" } }, key: readKey })).status, `${method} ${path}`).toBe(403);
    }
    const stranger = await call("POST", at("/incidents"), { body, key: null });
    expect(stranger.status).toBe(401);
    expect((await call("POST", at("/incidents"), { body, key: "candor_not-a-key" })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it.each(["json", "form"] as const)("bad input names the field and writes nothing (%s)", async (encoding) => {
    const before = await counts();
    const cases: [string, string, object, string][] = [
      ["POST", "/incidents", { incident: { body: "No name." } }, "incident.name"],
      ["POST", "/incidents", { incident: { name: "x", status: "exploded" } }, "incident.status"],
      ["POST", "/incidents", { incident: { name: "x", components: { zzzzzzzzzzzz: "major_outage" } } }, "incident.components.zzzzzzzzzzzz"],
      ["POST", "/incidents", { incident: { name: "x", components: { [api]: "on_fire" } } }, `incident.components.${api}`],
      ["POST", "/incidents", { incident: { name: "x", component_ids: [api, "nope"] } }, "incident.component_ids.1"],
      ["POST", "/incidents", { incident: { name: "x", impact_override: "maintenance" } }, "incident.impact_override"],
      ["POST", "/incidents", { incident: { name: "x", scheduled_for: "2026-13-01" } }, "incident.scheduled_for"],
      ["POST", "/incidents", { incident: { name: "x", scheduled_for: "2030-01-01T00:00:00Z", scheduled_until: "2029-01-01T00:00:00Z" } }, "incident.scheduled_until"],
      ["POST", "/incidents", { incident: { name: "x", deliver_notifications: "maybe" } }, "incident.deliver_notifications"],
      ["POST", "/incidents", { incident: { name: "x", body: "Hi {{name}}" } }, "incident.body"],
      ["POST", "/incidents", { incident: { name: "x".repeat(256) } }, "incident.name"],
      ["POST", "/components", { component: { description: "no name" } }, "component.name"],
      ["POST", "/components", { component: { name: "x", group_id: "zzzzzzzzzzzz" } }, "component.group_id"],
      ["POST", "/components", { component: { name: "x", status: "fine" } }, "component.status"],
      ["PATCH", `/components/${web}`, { component: { name: "", status: "broken" } }, "component.status"],
      ["POST", "/component-groups", { component_group: { name: "G", components: [web, "zzzzzzzzzzzz"] } }, "component_group.components.1"],
    ];
    if (encoding === "json") cases.push(["POST", "/incidents", { incident: { name: "x", metadata: { jira: "flat" } } }, "incident.metadata.jira"]);
    for (const [method, path, body, field] of cases) {
      const answer = await call(method, at(path), { encoding, body });
      expect(answer.status, `${field}: ${JSON.stringify(answer.body)}`).toBe(422);
      expect(errorBody.parse(answer.body).error, field).toContain(field);
    }
    expect(await counts()).toEqual(before);
  });

  it("malformed bodies are 400, unknown endpoints 404, never a 500", async () => {
    const before = await counts();
    expect((await call("POST", at("/incidents"), { raw: "{not json", type: "application/json" })).status).toBe(400);
    expect((await call("POST", at("/incidents"), { raw: "[]", type: "application/json" })).status).toBe(422);
    expect((await call("POST", at("/incidents"), { raw: "incident[a][b][c][d][e][f][g]=1", type: "application/x-www-form-urlencoded" })).status).toBe(400);
    expect((await call("POST", at("/incidents"), { raw: "__proto__[name]=x&incident[__proto__][x]=1", type: "application/x-www-form-urlencoded" })).status).toBe(422);
    expect((await call("POST", at("/incidents"), { raw: "\u00ff".repeat(10), type: "text/plain" })).status).toBe(400);
    expect((await call("POST", at("/incidents"), { raw: "x".repeat(1_000_001), type: "application/json" })).status).toBe(413);
    expect((await call("DELETE", at("/incidents"))).status).toBe(404);
    expect((await call("POST", "pages/nosuchpage000/incidents", { body: { incident: { name: "x" } } })).status).toBe(404);
    expect((await call("PATCH", at("/incidents/zzzzzzzzzzzz"), { body: { incident: { body: "x" } } })).status).toBe(404);
    expect((await call("PATCH", at("/incidents/../../x"), { body: { incident: { body: "x" } } })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("a key over its rate gets 429 with Retry-After; other keys go on", async () => {
    const saved = { limit: process.env.STATUSPAGE_API_RATE_LIMIT!, window: process.env.STATUSPAGE_API_RATE_WINDOW };
    process.env.STATUSPAGE_API_RATE_LIMIT = "3";
    // 3 an hour: one request's share is 1200 s, so no token comes back during the test, however loaded the machine.
    process.env.STATUSPAGE_API_RATE_WINDOW = "3600";
    try {
      const busy = (await createApiKey(handle.db, owner, { name: "busy", scope: "write" })).token;
      for (let i = 0; i < 3; i++) expect((await call("GET", at("/components"), { key: busy })).status).toBe(200);
      const limited = await call("POST", at("/incidents"), { key: busy, body: { incident: { name: "Too many" } } });
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get("retry-after"));
      // One request's share of the window (1200 s), less the time the burst took, must pass before the next is allowed.
      expect(retryAfter).toBeGreaterThanOrEqual(1100);
      expect(retryAfter).toBeLessThanOrEqual(1200);
      expect(errorBody.parse(limited.body).error).toMatch(/rate/);
      expect((await call("GET", at("/components"))).status).toBe(200);

      // Requests at once are counted one by one (one upsert each): exactly the limit gets through.
      const burst = (await createApiKey(handle.db, owner, { name: "burst", scope: "read" })).token;
      const answers = await Promise.all(Array.from({ length: 10 }, () => call("GET", at("/components"), { key: burst })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(7);
    } finally {
      process.env.STATUSPAGE_API_RATE_LIMIT = saved.limit;
      if (saved.window === undefined) delete process.env.STATUSPAGE_API_RATE_WINDOW;
      else process.env.STATUSPAGE_API_RATE_WINDOW = saved.window;
    }
  });
});

/*
 * The Statuspage v1-compatible API's postmortems, incident templates,
 * subscribers and component uptime through its route handler, with JSON
 * and bracket-notation form bodies, on each engine.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { changeComponentStatus, createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { ensureDefaultTemplates } from "#lib/domain/templates.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { statuspageV1Client } from "../support/statuspage-v1-client.ts";
import { errorBody, incidentObject, postmortemObject, subscriberObject, templateObject, uptimeObject } from "#lib/http/statuspage-v1/objects.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
process.env.STATUSPAGE_API_RATE_LIMIT = "100000";

describe.each(engines)("Statuspage v1 API resources on %s", (engine) => {
  let handle: DbHandle;
  let writeKey: string;
  let readKey: string;
  let pageId: string;
  let api: string;
  let web: string;
  const call = statuspageV1Client(() => writeKey);
  const at = (rest = "") => `pages/${pageId}${rest}`;

  async function resolvedIncident(name: string) {
    const { incident } = await declareIncident(handle.db, systemActor, { name, severity: "SEV-2", body: "Down.", components: [{ id: api, status: "major_outage" }] });
    await postUpdate(handle.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Up.", components: [{ id: api, status: "operational" }] });
    return incident.id;
  }

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    await ensureDefaultTemplates(handle.db);
    writeKey = (await createApiKey(handle.db, owner, { name: "bot", scope: "write" })).token;
    readKey = (await createApiKey(handle.db, owner, { name: "reader", scope: "read" })).token;
    pageId = (await getPage(handle.db)).id;
    api = (await createComponent(handle.db, systemActor, { name: "API", createdAt: new Date(Date.now() - 10 * 86_400_000) })).id;
    web = (await createComponent(handle.db, systemActor, { name: "Website" })).id;
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  it.each(["json", "form"] as const)("postmortem: draft, publish, revert, delete (%s)", async (encoding) => {
    const id = await resolvedIncident(`Outage ${encoding}`);
    expect((await call("GET", at(`/incidents/${id}/postmortem`))).status).toBe(404);

    const drafted = await call("PUT", at(`/incidents/${id}/postmortem`), { encoding, body: { postmortem: { body_draft: "## What happened\nA disk filled up." } } });
    expect(drafted.status).toBe(200);
    expect(postmortemObject.parse(drafted.body)).toMatchObject({ body: null, body_draft: "## What happened\nA disk filled up.", published_at: null });
    // A draft is not public.
    expect(incidentObject.parse((await call("GET", at(`/incidents/${id}`))).body)).toMatchObject({ status: "resolved", postmortem_body: null });

    const published = await call("PUT", at(`/incidents/${id}/postmortem/publish`), { encoding, body: { postmortem: { notify_subscribers: false, notify_twitter: false } } });
    expect(published.status).toBe(200);
    expect(postmortemObject.parse(published.body).body).toBe("## What happened\nA disk filled up.");
    const incident = incidentObject.parse((await call("GET", at(`/incidents/${id}`))).body);
    expect(incident).toMatchObject({ status: "postmortem", postmortem_body: "## What happened\nA disk filled up." });
    expect(incident.postmortem_published_at).not.toBeNull();

    // A new draft leaves the published text as it is.
    await call("PUT", at(`/incidents/${id}/postmortem`), { encoding, body: { postmortem: { body_draft: "Edited." } } });
    expect((await call("GET", at(`/incidents/${id}`))).body.postmortem_body).toBe("## What happened\nA disk filled up.");
    const refused = await call("DELETE", at(`/incidents/${id}/postmortem`));
    expect(refused.status).toBe(422);

    const reverted = await call("PUT", at(`/incidents/${id}/postmortem/revert`));
    expect(postmortemObject.parse(reverted.body)).toMatchObject({ body: null, published_at: null, body_draft: "Edited." });
    expect((await call("GET", at(`/incidents/${id}`))).body).toMatchObject({ status: "resolved", postmortem_body: null });

    expect((await call("DELETE", at(`/incidents/${id}/postmortem`))).status).toBe(204);
    expect((await call("GET", at(`/incidents/${id}/postmortem`))).status).toBe(404);
  });

  it("postmortem refusals: open incidents, placeholders, empty drafts, read keys", async () => {
    const { incident } = await declareIncident(handle.db, systemActor, { name: "Still open", severity: "SEV-3", body: "Looking." });
    const empty = await call("PUT", at(`/incidents/${incident.id}/postmortem/publish`));
    expect(empty.status).toBe(422);
    expect(errorBody.parse(empty.body).error).toContain("postmortem.body_draft");
    await call("PUT", at(`/incidents/${incident.id}/postmortem`), { body: { postmortem: { body_draft: "Cause: {{cause}}" } } });
    const open = await call("PUT", at(`/incidents/${incident.id}/postmortem/publish`));
    expect(open.status).toBe(422);
    expect(open.body.error).toMatch(/postmortem\.(body_draft|incident_id)/);
    expect((await call("PUT", at(`/incidents/${incident.id}/postmortem`), { key: readKey, body: { postmortem: { body_draft: "x" } } })).status).toBe(403);
    expect((await call("PUT", at(`/incidents/${incident.id}/postmortem`), { body: {} })).status).toBe(422);
  });

  it.each(["json", "form"] as const)("incident templates: list and create (%s)", async (encoding) => {
    const list = z.array(templateObject).parse((await call("GET", at("/incident_templates"), { key: readKey })).body);
    expect(list.map((t) => t.update_status)).toEqual(expect.arrayContaining(["investigating", "identified", "monitoring", "resolved"]));

    const created = await call("POST", at("/incident_templates"), {
      encoding,
      body: { template: { name: `DB failover ${encoding}`, title: "Database failover", body: "We are failing over {{components}}.", update_status: "identified", component_ids: [api], should_tweet: false } },
    });
    expect(created.status).toBe(201);
    expect(templateObject.parse(created.body)).toMatchObject({ name: `DB failover ${encoding}`, update_status: "identified", title: "Database failover" });
    const maintenance = await call("POST", at("/incident_templates"), { encoding, body: { template: { name: `Window ${encoding}`, body: "Planned work.", update_status: "scheduled" } } });
    expect(maintenance.body.update_status).toBe("scheduled");
    const row = await handle.db.selectFrom("templates").select("kind").where("id", "=", maintenance.body.id).executeTakeFirstOrThrow();
    expect(row.kind).toBe("maintenance");

    const bad = await call("POST", at("/incident_templates"), { encoding, body: { template: { name: "x", body: "{{nope}}", update_status: "exploded" } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toContain("template.update_status");
    expect(bad.body.error).toContain("template.body");
    const page2 = (await call("GET", at("/incident_templates?per_page=1&page=2"))).body;
    expect(page2).toHaveLength(1);
  });

  it.each(["json", "form"] as const)("subscribers: create (double opt-in), filter, get, patch, delete (%s)", async (encoding) => {
    const email = `Reader-${encoding}@Example.com`;
    const created = await call("POST", at("/subscribers"), { encoding, body: { subscriber: { email, component_ids: [api], skip_confirmation_notification: true } } });
    expect(created.status).toBe(201);
    const s = subscriberObject.parse(created.body);
    expect(s).toMatchObject({ mode: "email", email: email.toLowerCase(), components: [api] });
    // Double opt-in holds: unconfirmed, with a confirmation email queued, whatever the client asked.
    const row = await handle.db.selectFrom("subscribers").select(["status", "consent_source"]).where("id", "=", s.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "pending", consent_source: "admin" });
    const confirmations = await handle.db.selectFrom("deliveries").select("kind").where("subscriber_id", "=", s.id).execute();
    expect(confirmations).toEqual([{ kind: "confirmation" }]);

    const ids = async (query: string) => ((await call("GET", at(`/subscribers${query}`))).body as { id: string }[]).map((x) => x.id);
    expect(await ids("")).not.toContain(s.id);
    expect(await ids("?state=unconfirmed")).toContain(s.id);
    expect(await ids("?state=all&type=email")).toContain(s.id);
    expect(await ids("?state=all&type=webhook")).toEqual([]);
    expect(await ids(`?state=unconfirmed&q=reader-${encoding}`)).toEqual([s.id]);
    expect(await ids("?state=unconfirmed&limit=1&page=50")).toEqual([]);
    expect((await call("GET", at("/subscribers?state=gone"))).status).toBe(400);
    expect(subscriberObject.parse((await call("GET", at(`/subscribers/${s.id}`))).body).id).toBe(s.id);

    const patched = await call("PATCH", at(`/subscribers/${s.id}`), { encoding, body: { component_ids: [web, api] } });
    expect(patched.status).toBe(200);
    expect(subscriberObject.parse(patched.body).components.sort()).toEqual([api, web].sort());
    const badPatch = await call("PATCH", at(`/subscribers/${s.id}`), { encoding, body: { component_ids: [web, "zzzzzzzzzzzz"] } });
    expect(badPatch.status).toBe(422);
    expect(badPatch.body.error).toContain("subscriber.component_ids.1");

    const again = await call("POST", at("/subscribers"), { encoding, body: { subscriber: { email } } });
    expect(again.status).toBe(201);

    const deleted = await call("DELETE", at(`/subscribers/${s.id}`));
    expect(deleted.status).toBe(200);
    subscriberObject.parse(deleted.body);
    expect((await handle.db.selectFrom("subscribers").select("status").where("id", "=", s.id).executeTakeFirstOrThrow()).status).toBe("unsubscribed");
    expect(await ids("?state=all")).not.toContain(s.id);
  });

  it.each(["json", "form"] as const)("subscribers: bulk unsubscribe by ids or all (%s)", async (encoding) => {
    const make = async (email: string) => subscriberObject.parse((await call("POST", at("/subscribers"), { body: { subscriber: { email } } })).body).id;
    const a = await make(`a-${encoding}@example.com`);
    const b = await make(`b-${encoding}@example.com`);
    const c = await make(`c-${encoding}@example.com`);
    const status = async (id: string) => (await handle.db.selectFrom("subscribers").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
    const bad = await call("POST", at("/subscribers/unsubscribe"), { encoding, body: { subscribers: [a, "zzzzzzzzzzzz"] } });
    expect(bad.status).toBe(422);
    expect(errorBody.parse(bad.body).error).toContain("subscribers.1");
    expect(await status(a)).toBe("pending");

    const listed = await call("POST", at("/subscribers/unsubscribe"), { encoding, body: { subscribers: [a, b] } });
    expect(listed.status).toBe(201);
    expect([await status(a), await status(b), await status(c)]).toEqual(["unsubscribed", "unsubscribed", "pending"]);
    const all = await call("POST", at("/subscribers/unsubscribe"), { encoding, body: { subscribers: "all", state: "unconfirmed" } });
    expect(all.status).toBe(201);
    expect(await status(c)).toBe("unsubscribed");
    expect((await call("POST", at("/subscribers/unsubscribe"), { key: readKey, body: { subscribers: "all" } })).status).toBe(403);
  });

  it("subscriber refusals name the field and write nothing", async () => {
    const count = async () => Number((await handle.db.selectFrom("subscribers").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const [body, field] of [
      [{ subscriber: { email: "not-an-address" } }, "subscriber.email"],
      [{ subscriber: { endpoint: "https://example.com/hook" } }, "subscriber.email"],
      [{ subscriber: { email: "a@example.com", component_ids: ["zzzzzzzzzzzz"] } }, "subscriber.component_ids.0"],
    ] as const) {
      const answer = await call("POST", at("/subscribers"), { body });
      expect(answer.status, field).toBe(422);
      expect(errorBody.parse(answer.body).error).toContain(field);
    }
    expect((await call("POST", at("/subscribers"), { key: readKey, body: { subscriber: { email: "r@example.com" } } })).status).toBe(403);
    expect((await call("DELETE", at("/subscribers/zzzzzzzzzzzz"))).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it("component uptime over a range, clipped with warnings", async () => {
    const zone = (await getPage(handle.db)).time_zone;
    const cdn = (await createComponent(handle.db, systemActor, { name: "CDN", createdAt: new Date(Date.now() - 10 * 86_400_000) })).id;
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await changeComponentStatus(handle.db, systemActor, { componentId: cdn, status: "major_outage", at: new Date(twoDaysAgo.getTime() - 3_600_000) });
    await changeComponentStatus(handle.db, systemActor, { componentId: cdn, status: "partial_outage", at: twoDaysAgo });
    await changeComponentStatus(handle.db, systemActor, { componentId: cdn, status: "operational", at: new Date(twoDaysAgo.getTime() + 600_000) });
    const answer = await call("GET", at(`/components/${cdn}/uptime`), { key: readKey });
    expect(answer.status).toBe(200);
    const u = uptimeObject.parse(answer.body);
    expect(u).toMatchObject({ id: cdn, name: "CDN", major_outage: 3600, partial_outage: 600 });
    expect(u.uptime_percentage).toBeLessThan(100);
    expect(u.uptime_percentage).toBeGreaterThan(99);
    // The component is ten days old: the default 90 days start at its creation, as the warning says.
    expect(u.warnings).toMatch(/start date/);
    expect(new Date(u.range_start).getTime()).toBeGreaterThan(Date.now() - 11 * 86_400_000);

    const today = new Date().toISOString().slice(0, 10);
    const future = (await call("GET", at(`/components/${api}/uptime?range_start=2020-01-01&range_end=2999-01-01`))).body;
    expect(uptimeObject.parse(future).warnings).toMatch(/future/);
    expect(future.warnings).toMatch(/six months/);
    expect((await call("GET", at(`/components/${api}/uptime?range_start=${today}&range_end=2020-01-01`))).status).toBe(400);
    expect((await call("GET", at(`/components/${api}/uptime?range_start=yesterday`))).status).toBe(400);
    expect((await call("GET", at("/components/zzzzzzzzzzzz/uptime"))).status).toBe(404);
    expect(zone).toBeTruthy();
  });
});

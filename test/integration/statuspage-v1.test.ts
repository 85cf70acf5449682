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

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
const BASE = "http://localhost:3204/api/statuspage/v1/";

// ISO 8601 with milliseconds and the page's offset.
const time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
const nullable = <T extends z.ZodType>(t: T) => t.nullable();
const status = z.enum(["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);

const componentObject = z.strictObject({
  id: z.string(),
  page_id: z.string(),
  group_id: z.string().nullable(),
  created_at: time,
  updated_at: time,
  group: z.boolean(),
  name: z.string(),
  description: z.string().nullable(),
  position: z.number().int(),
  status,
  showcase: z.boolean(),
  only_show_if_degraded: z.boolean(),
  automation_email: z.string().nullable(),
  start_date: z.string().nullable(),
});

const groupObject = z.strictObject({
  id: z.string(),
  page_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  components: z.array(z.string()),
  position: z.number().int(),
  created_at: time,
  updated_at: time,
});

const updateObject = z.strictObject({
  id: z.string(),
  incident_id: z.string(),
  status: z.string(),
  body: z.string(),
  created_at: time,
  updated_at: time,
  display_at: time,
  deliver_notifications: z.boolean(),
  affected_components: z.array(z.strictObject({ code: z.string(), name: z.string(), old_status: status, new_status: status })).nullable(),
  custom_tweet: z.null(),
  tweet_id: z.null(),
  twitter_updated_at: z.null(),
  wants_twitter_update: z.boolean(),
});

const incidentObject = z.strictObject({
  id: z.string(),
  components: z.array(componentObject),
  created_at: time,
  impact: z.enum(["none", "minor", "major", "critical", "maintenance"]),
  impact_override: z.null(),
  incident_updates: z.array(updateObject),
  metadata: z.record(z.string(), z.unknown()),
  monitoring_at: nullable(time),
  name: z.string(),
  page_id: z.string(),
  postmortem_body: z.string().nullable(),
  postmortem_body_last_updated_at: nullable(time),
  postmortem_ignored: z.boolean(),
  postmortem_notified_subscribers: z.boolean(),
  postmortem_notified_twitter: z.boolean(),
  postmortem_published_at: nullable(time),
  resolved_at: nullable(time),
  scheduled_auto_completed: z.boolean(),
  scheduled_auto_in_progress: z.boolean(),
  scheduled_for: nullable(time),
  auto_transition_deliver_notifications_at_end: z.boolean(),
  auto_transition_deliver_notifications_at_start: z.boolean(),
  auto_transition_to_maintenance_state: z.boolean(),
  auto_transition_to_operational_state: z.boolean(),
  scheduled_remind_prior: z.boolean(),
  scheduled_reminded_at: nullable(time),
  scheduled_until: nullable(time),
  shortlink: z.string(),
  started_at: time,
  status: z.string(),
  updated_at: time,
  reminder_intervals: z.null(),
});

// Every field of the reference's Page, nothing else.
const pageObject = z.strictObject({
  id: z.string(),
  created_at: time,
  updated_at: time,
  name: z.string(),
  page_description: z.string().nullable(),
  headline: z.string().nullable(),
  branding: z.string(),
  subdomain: z.string().nullable(),
  domain: z.string().nullable(),
  url: z.string(),
  support_url: z.string().nullable(),
  hidden_from_search: z.boolean(),
  allow_page_subscribers: z.boolean(),
  allow_incident_subscribers: z.boolean(),
  allow_email_subscribers: z.boolean(),
  allow_sms_subscribers: z.boolean(),
  allow_rss_atom_feeds: z.boolean(),
  allow_webhook_subscribers: z.boolean(),
  notifications_from_email: z.string().nullable(),
  notifications_email_footer: z.string().nullable(),
  activity_score: z.number(),
  twitter_username: z.string().nullable(),
  viewers_must_be_team_members: z.boolean(),
  ip_restrictions: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  country: z.string().nullable(),
  time_zone: z.string(),
  css_body_background_color: z.string().nullable(),
  css_font_color: z.string().nullable(),
  css_light_font_color: z.string().nullable(),
  css_greens: z.string().nullable(),
  css_yellows: z.string().nullable(),
  css_oranges: z.string().nullable(),
  css_blues: z.string().nullable(),
  css_reds: z.string().nullable(),
  css_border_color: z.string().nullable(),
  css_graph_color: z.string().nullable(),
  css_link_color: z.string().nullable(),
  css_no_data: z.string().nullable(),
  favicon_logo: z.string().nullable(),
  transactional_logo: z.string().nullable(),
  hero_cover: z.string().nullable(),
  email_logo: z.string().nullable(),
  twitter_logo: z.string().nullable(),
});

const errorBody = z.strictObject({ error: z.string(), message: z.string() });

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
      `pages/${pageId}/subscribers`,
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

/*
 * Importing a Statuspage page, on both engines, over real HTTP.
 * - Public API: a page is built here with the domain's writes and served as
 *   /api/v2 by Candor's own Statuspage serializer (which Atlassian's widget
 *   reads unchanged); importing it into an empty page must give the same
 *   /api/v2 answers: components, groups and order, every incident and
 *   maintenance with its updates, times, component changes and postmortem.
 *   A second run adds only what is new.
 * - Management API: a local server that answers as /v1 does (OAuth key,
 *   pagination, a 420 to wait out) with subscribers and templates.
 */
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { promisify } from "node:util";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { applyStatuspageExport } from "#lib/imports/statuspage/apply.ts";
import { safeFetch } from "#lib/delivery/safe-http.ts";
import { listImportRuns, startImportRun } from "#lib/imports/statuspage/runs.ts";
import { readManagementApi, readPublicApi, SourceError } from "#lib/imports/statuspage/sources.ts";
import { statuspagePayload } from "#lib/public/statuspage-v2.ts";
import { openDatabase } from "#db/client.ts";
import { engines, freshDatabase, freshDatabaseUrl } from "../support/databases.ts";

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

async function listen(handler: (path: string, url: URL, headers: Record<string, string | string[] | undefined>) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>): Promise<{ url: string; server: Server; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(url.pathname + url.search);
    void handler(url.pathname, url, req.headers).then(({ status, body, headers }) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

/** What a reader of /api/v2 sees, without the ids and page fields that differ between two pages by nature. */
async function publicView(db: DbHandle["db"]) {
  const components = (await statuspagePayload(db, "components.json")) as { components: Record<string, unknown>[] };
  const names = new Map(components.components.map((c) => [c.id as string, c.name as string]));
  const incidents = (await statuspagePayload(db, "incidents.json")) as { incidents: Record<string, unknown>[] };
  const maintenance = (await statuspagePayload(db, "scheduled-maintenances.json")) as { scheduled_maintenances: Record<string, unknown>[] };
  const timeline = (i: Record<string, unknown>) => ({
    name: i.name,
    status: i.status,
    impact: i.impact,
    created_at: i.created_at,
    resolved_at: i.resolved_at,
    scheduled_for: i.scheduled_for,
    scheduled_until: i.scheduled_until,
    updates: (i.incident_updates as Record<string, unknown>[]).map((u) => ({
      status: u.status,
      body: u.body,
      display_at: u.display_at,
      affected: ((u.affected_components as Record<string, unknown>[] | null) ?? []).map((a) => [a.name, a.old_status, a.new_status]),
    })),
  });
  return {
    components: components.components.map((c) => ({
      name: c.name,
      status: c.status,
      group: c.group,
      group_name: c.group_id ? names.get(c.group_id as string) : null,
      children: ((c.components as string[] | undefined) ?? []).map((id) => names.get(id)),
      position: c.position,
      description: c.description,
      only_show_if_degraded: c.only_show_if_degraded,
    })),
    incidents: incidents.incidents.map(timeline),
    maintenance: maintenance.scheduled_maintenances.map(timeline),
  };
}

describe.each(engines)("importing from Statuspage on %s", (engine) => {
  let source: DbHandle;
  let target: DbHandle;
  const servers: Server[] = [];

  beforeEach(async () => {
    [source, target] = await Promise.all([freshDatabase(engine), freshDatabase(engine)]);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) s.close();
    await Promise.all([source.close(), target.close()]);
  });

  /** A page with a bit of everything, as a Statuspage customer would have. */
  async function buildSource() {
    const db = source.db;
    const page = await getPage(db);
    await updatePageSettings(db, systemActor, { name: "Acme Cloud", url: page.url, timeZone: "America/New_York" });
    const docs = await createComponent(db, systemActor, { name: "Docs", description: "Guides", createdAt: ago(24 * 30) });
    const core = await createGroup(db, systemActor, { name: "Core", description: "What runs the product" });
    const api = await createComponent(db, systemActor, { name: "API", groupId: core.id, createdAt: ago(24 * 30) });
    const web = await createComponent(db, systemActor, { name: "Web", groupId: core.id, onlyShowIfDegraded: true, createdAt: ago(24 * 30) });
    const { incident } = await declareIncident(db, systemActor, {
      name: "Failed logins",
      severity: "SEV-1",
      body: "We are investigating failed logins.",
      components: [{ id: api.id, status: "major_outage" }],
      startedAt: ago(50),
      displayAt: ago(50),
      notify: false,
    });
    await postUpdate(db, systemActor, { incidentId: incident.id, status: "identified", body: "A bad deploy.", components: [{ id: api.id, status: "partial_outage" }], displayAt: ago(49), notify: false });
    await postUpdate(db, systemActor, { incidentId: incident.id, status: "resolved", body: "Rolled back.", components: [{ id: api.id, status: "operational" }], displayAt: ago(48), notify: false });
    await publishPostmortem(db, systemActor, { incidentId: incident.id, body: "## What happened\n\nA config change.", notify: false });
    const open = await declareIncident(db, systemActor, {
      name: "Slow pages",
      severity: "SEV-3",
      body: "Pages load slowly.",
      components: [{ id: web.id, status: "degraded_performance" }],
      startedAt: ago(1),
      displayAt: ago(1),
      notify: false,
    });
    const { maintenance } = await scheduleMaintenance(db, systemActor, {
      name: "Database upgrade",
      body: "We will upgrade the database.",
      components: [api.id],
      autoTransition: false,
      notify: false,
      announcedAt: ago(30),
      scheduledFor: ago(26),
      scheduledUntil: ago(25),
    });
    await advanceMaintenance(db, systemActor, { incidentId: maintenance.id, status: "in_progress", notify: false, at: ago(26) });
    await advanceMaintenance(db, systemActor, { incidentId: maintenance.id, status: "completed", body: "Done early.", notify: false, at: ago(25.5) });
    await scheduleMaintenance(db, systemActor, {
      name: "Network work",
      body: "Switch replacement.",
      components: [web.id],
      notify: false,
      scheduledFor: new Date(Date.now() + 48 * HOUR),
      scheduledUntil: new Date(Date.now() + 50 * HOUR),
    });
    return { openIncidentId: open.incident.id, web };
  }

  const servePublic = async () => {
    const served = await listen(async (path) => {
      const body = path.startsWith("/api/v2/") ? await statuspagePayload(source.db, path.slice("/api/v2/".length)) : null;
      return body ? { status: 200, body } : { status: 404, body: { error: "not found" } };
    });
    servers.push(served.server);
    return served;
  };

  it("from the public API: the imported page answers /api/v2 as the source does; a second run adds only what is new", async () => {
    const { openIncidentId, web } = await buildSource();
    const served = await servePublic();
    const exp = await readPublicApi(`${served.url}/`);
    expect(exp.unseen.join("\n")).toContain("subscribers");
    const report = await applyStatuspageExport(target.db, systemActor, exp);
    expect(report.created).toMatchObject({ groups: 1, components: 3, incidents: 2, maintenance: 2, postmortems: 1 });
    expect([...report.warnings]).toEqual([]);

    const [want, got] = [await publicView(source.db), await publicView(target.db)];
    expect(got.components).toEqual(want.components);
    expect(got.incidents).toEqual(want.incidents);
    expect(got.maintenance).toEqual(want.maintenance);
    const page = await getPage(target.db);
    expect([page.name, page.time_zone]).toEqual(["Acme Cloud", "America/New_York"]);
    const postmortem = await target.db.selectFrom("incidents").select("postmortem_body").where("name", "=", "Failed logins").executeTakeFirstOrThrow();
    expect(postmortem.postmortem_body).toBe("## What happened\n\nA config change.");

    // Nothing new: nothing added.
    const again = await applyStatuspageExport(target.db, systemActor, await readPublicApi(served.url));
    expect(again.created).toEqual({ groups: 0, components: 0, incidents: 0, maintenance: 0, updates: 0, postmortems: 0, subscribers: 0, templates: 0 });
    expect(again.skipped).toMatchObject({ groups: 1, components: 3, incidents: 2, maintenance: 2 });
    expect(await publicView(target.db)).toEqual(want);

    // A later update at the source: the next run posts just that one.
    await postUpdate(source.db, systemActor, { incidentId: openIncidentId, status: "resolved", body: "Caches warmed.", components: [{ id: web.id, status: "operational" }], notify: false });
    const third = await applyStatuspageExport(target.db, systemActor, await readPublicApi(served.url));
    expect(third.created).toMatchObject({ incidents: 0, updates: 1 });
    expect((await publicView(target.db)).incidents).toEqual((await publicView(source.db)).incidents);
    // No one was told: imports never notify.
    expect(await target.db.selectFrom("deliveries").select("id").execute()).toEqual([]);
  });

  it("from the admin: an owner's run goes on in the background, records progress and its report, never the key", async () => {
    await buildSource();
    const served = await servePublic();
    const editor = { ...systemActor, role: "editor" as const };
    await expect(startImportRun(target.db, editor, { mode: "public", url: served.url })).rejects.toMatchObject({ code: "forbidden" });
    await expect(startImportRun(target.db, systemActor, { mode: "public", url: "ftp://x" })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: "url" })] });
    await expect(startImportRun(target.db, systemActor, { mode: "management", pageId: "abc", key: "short" })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: "key" })] });

    const { id, job } = await startImportRun(target.db, systemActor, { mode: "public", url: served.url });
    expect((await listImportRuns(target.db))[0]).toMatchObject({ id, status: "running" });
    await expect(startImportRun(target.db, systemActor, { mode: "public", url: served.url })).rejects.toMatchObject({ code: "conflict" });
    await job();
    const [run] = await listImportRuns(target.db);
    expect(run).toMatchObject({ id, status: "done", error: null });
    expect(run.report!.created).toMatchObject({ components: 3, incidents: 2 });
    expect(run.progress).toContain("importing");

    // A key given for a failing run is nowhere in the database; the source's words are shown.
    const failing = await startImportRun(target.db, systemActor, { mode: "management", pageId: "nopage", key: "secret-key-value", api: `${served.url}/v1` });
    await failing.job();
    const [failed] = await listImportRuns(target.db);
    expect(failed).toMatchObject({ status: "failed", target: "nopage", error: expect.stringContaining("answered 404") });
    const everything = JSON.stringify(await target.db.selectFrom("import_runs").selectAll().execute());
    expect(everything).not.toContain("secret-key-value");

    // Through the server's SSRF-safe fetch (as the admin action runs it), a loopback source is refused.
    const saved = process.env.CHANNEL_ALLOW_LOOPBACK;
    delete process.env.CHANNEL_ALLOW_LOOPBACK;
    try {
      const guarded = await startImportRun(target.db, systemActor, { mode: "public", url: served.url }, safeFetch);
      await guarded.job();
      expect((await listImportRuns(target.db))[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/could not reach .*refused: 127\.0\.0\.1/) });
    } finally {
      if (saved !== undefined) process.env.CHANNEL_ALLOW_LOOPBACK = saved;
    }

    // A run whose process died shows as failed after ten minutes.
    await target.db.insertInto("import_runs").values({ id: "stalerun0001", source_kind: "public", target: "https://x.test", started_by: "o", updated_at: ago(1) }).execute();
    expect((await listImportRuns(target.db)).find((r) => r.id === "stalerun0001")).toMatchObject({ status: "failed", error: expect.stringContaining("stopped") });
  });

  it("a page that is not Statuspage-shaped, missing or redirecting is refused by name, and nothing is written", async () => {
    const served = await listen(async (path) => {
      if (path === "/moved/api/v2/components.json") return { status: 301, headers: { location: "http://169.254.169.254/" } };
      if (path === "/odd/api/v2/components.json") return { status: 200, body: { page: { id: "x" }, components: "nope" } };
      return { status: 404 };
    });
    servers.push(served.server);
    await expect(readPublicApi(`${served.url}/moved`)).rejects.toThrow(/redirects to http:\/\/169\.254\.169\.254\//);
    await expect(readPublicApi(`${served.url}/odd`)).rejects.toThrow(SourceError);
    await expect(readPublicApi(`${served.url}/none`)).rejects.toThrow(/answered 404/);
    expect(await target.db.selectFrom("components").select("id").execute()).toEqual([]);
  });

  it("from the management API: pages through everything, waits out a 420, imports email subscribers and templates", async () => {
    const KEY = "oauth-key-123456";
    const iso = (hours: number) => ago(hours).toISOString();
    const components = [
      { id: "grp000000001", name: "Platform", group: true, position: 1, components: ["cmp000000001", "cmp000000002"], created_at: iso(900) },
      { id: "cmp000000001", name: "API", group_id: "grp000000001", position: 1, status: "operational", created_at: iso(900) },
      { id: "cmp000000002", name: "Dashboard", group_id: "grp000000001", position: 2, status: "degraded_performance", created_at: iso(900) },
      { id: "cmp000000003", name: "Status emails", position: 2, status: "operational", created_at: iso(900) },
    ];
    const groups = [{ id: "grp000000001", name: "Platform", description: null, position: 1, components: ["cmp000000001", "cmp000000002"] }];
    const incident = (n: number) => ({
      id: `inc00000000${n}`,
      name: `Incident ${n}`,
      status: "resolved",
      impact: "minor",
      created_at: iso(100 - n),
      resolved_at: iso(99 - n),
      incident_updates: [
        { id: `upd0000000${n}b`, status: "resolved", body: "Fixed.", created_at: iso(99 - n), display_at: iso(99 - n), affected_components: [{ code: "cmp000000001", name: "API", old_status: "partial_outage", new_status: "operational" }] },
        { id: `upd0000000${n}a`, status: "investigating", body: "", created_at: iso(100 - n), display_at: iso(100 - n), affected_components: [{ code: "cmp000000001", name: "API", old_status: "operational", new_status: "partial_outage" }] },
      ],
      components: [{ id: "cmp000000001" }],
      tweet_id: null,
    });
    const incidents = [1, 2, 3].map(incident);
    const subscribers = [
      { id: "sub000000001", mode: "email", email: "ann@example.com", components: [{ id: "cmp000000001" }] },
      { id: "sub000000002", mode: "email", email: "bob@example.com", components: [] },
      { id: "sub000000003", mode: "sms", phone_number: "+15555550100" },
      { id: "sub000000004", mode: "email", email: "gone@example.com", quarantined_at: iso(5) },
      // Past one page of 100: the importer must ask for the next (0-based, as this endpoint counts).
      ...Array.from({ length: 100 }, (_, i) => ({ id: `gen${String(i).padStart(9, "0")}`, mode: "email", email: `user${i}@example.com` })),
    ];
    const templates = [{ id: "tpl000000001", name: "Provider outage", title: "Upstream provider issue", body: "Our provider has an outage.", update_status: "identified" }];
    let limited = false;
    const served = await listen(async (path, url, headers) => {
      if (headers.authorization !== `OAuth ${KEY}`) return { status: 401, body: { error: "invalid key" } };
      if (!limited && path.endsWith("/incidents")) {
        limited = true;
        return { status: 420, headers: { "retry-after": "1" }, body: { error: "rate limited" } };
      }
      const slice = <T>(list: T[], size: number, first: number) => {
        const page = Number(url.searchParams.get("page") ?? first) - first;
        return list.slice(page * size, page * size + size);
      };
      const base = "/v1/pages/pg0000000001";
      if (path === base) return { status: 200, body: { id: "pg0000000001", name: "Acme via v1", url: "https://status.acme.test", time_zone: "Europe/Berlin", support_url: "https://acme.test/help" } };
      if (path === `${base}/components`) return { status: 200, body: slice(components, 100, 1) };
      if (path === `${base}/component-groups`) return { status: 200, body: groups };
      if (path === `${base}/incidents`) return { status: 200, body: slice(incidents, 100, 1) };
      if (path === `${base}/subscribers`) return { status: 200, body: slice(subscribers, 100, 0) };
      if (path === `${base}/incident_templates`) return { status: 200, body: templates };
      return { status: 404, body: { error: "not found" } };
    });
    servers.push(served.server);

    await expect(readManagementApi({ api: `${served.url}/v1`, pageId: "pg0000000001", key: "wrong-key-0000" }, { paceMs: 0 })).rejects.toThrow(/refused the key \(401\)/);
    const exp = await readManagementApi({ api: `${served.url}/v1`, pageId: "pg0000000001", key: KEY }, { paceMs: 0 });
    expect(limited).toBe(true);
    expect(exp.components.map((c) => c.name)).toEqual(["API", "Dashboard", "Status emails"]);
    const report = await applyStatuspageExport(target.db, systemActor, exp);
    expect(served.requests.filter((r) => r.startsWith("/v1/pages/pg0000000001/subscribers"))).toEqual([
      "/v1/pages/pg0000000001/subscribers?limit=100&page=0",
      "/v1/pages/pg0000000001/subscribers?limit=100&page=1",
    ]);
    expect(report.created).toEqual({ groups: 1, components: 3, incidents: 3, maintenance: 0, updates: 6, postmortems: 0, subscribers: 102, templates: 1 });
    expect([...report.warnings].join("\n")).toMatch(/1 sms subscriber\(s\) were not imported/);
    expect([...report.warnings].join("\n")).toMatch(/quarantined/);

    const page = await getPage(target.db);
    expect([page.name, page.time_zone, page.support_url]).toEqual(["Acme via v1", "Europe/Berlin", "https://acme.test/help"]);
    const view = await publicView(target.db);
    expect(view.components.map((c) => [c.name, c.status, c.group_name ?? null])).toEqual([
      ["Platform", "degraded_performance", null],
      ["API", "operational", "Platform"],
      ["Dashboard", "degraded_performance", "Platform"],
      ["Status emails", "operational", null],
    ]);
    expect(view.incidents.map((i) => [i.name, i.impact, i.updates.map((u) => [u.status, u.body, u.affected])])).toContainEqual([
      "Incident 1",
      "minor",
      [
        // Named as Statuspage names a grouped component in an update.
        ["resolved", "Fixed.", [["Platform - API", "partial_outage", "operational"]]],
        ["investigating", "Investigating.", [["Platform - API", "operational", "partial_outage"]]],
      ],
    ]);
    const subs = await target.db.selectFrom("subscribers").select(["email", "status", "all_components", "consent_source"]).where("email", "in", ["ann@example.com", "bob@example.com"]).orderBy("email").execute();
    expect(subs).toEqual([
      { email: "ann@example.com", status: "active", all_components: false, consent_source: "import" },
      { email: "bob@example.com", status: "active", all_components: true, consent_source: "import" },
    ]);
    const template = await target.db.selectFrom("templates").select(["kind", "status", "title"]).where("name", "=", "Provider outage").executeTakeFirstOrThrow();
    expect(template).toEqual({ kind: "incident", status: "identified", title: "Upstream provider issue" });
    // Active subscribers imported from a page they confirmed on get no confirmation email.
    expect(await target.db.selectFrom("deliveries").select("id").execute()).toEqual([]);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("npm run import:statuspage", () => {
  const run = (args: string[], env: Record<string, string>) =>
    promisify(execFile)("npx", ["tsx", "scripts/import-statuspage.ts", ...args], { env: { ...process.env, ...env }, timeout: 120_000 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it("names a bad flag; imports a public page into DATABASE_URL and says what it could not see", async () => {
    const database = await freshDatabaseUrl();
    const source = await freshDatabase("pglite");
    await createComponent(source.db, systemActor, { name: "API" });
    const served = await listen(async (path) => {
      const body = path.startsWith("/api/v2/") ? await statuspagePayload(source.db, path.slice("/api/v2/".length)) : null;
      return body ? { status: 200, body } : { status: 404 };
    });
    try {
      const bad = await run(["--url", "ftp://example.com"], { DATABASE_URL: database.url });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("--url must be an http(s) URL");
      const neither = await run([], { DATABASE_URL: database.url });
      expect(neither.stderr).toContain("give either --url");

      const ok = await run(["--url", served.url], { DATABASE_URL: database.url });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain("Imported from statuspage:");
      expect(ok.stdout).toContain("1 components");
      expect(ok.stdout).toContain("Not seen: subscribers");
      const handle = await openDatabase({ url: database.url });
      expect((await handle.db.selectFrom("components").select("name").execute()).map((c) => c.name)).toEqual(["API"]);
      await handle.close();
    } finally {
      served.server.close();
      await source.close();
      await database.drop();
    }
  });
});

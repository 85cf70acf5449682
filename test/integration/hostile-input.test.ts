/*
 * Hostile input, property-style: a corpus of values that break naive code
 * (NUL, lone surrogates, bidi overrides, zero-width-only names, 100 kB
 * strings, huge and negative numbers, NaN-like strings, dates outside any
 * sane range, arrays and objects where text is expected) is fed to every
 * admin write (the lib functions the server actions call, as an owner),
 * every management API body (through the real route handlers) and the CSV
 * import. Each answer must be a refusal naming the field (invalid_input, or a
 * 4xx with the field in `issues`), never a 500 or another exception, and
 * the database must be exactly as before.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { createApiKey, revokeApiKey } from "#lib/domain/api-keys.ts";
import { createInvite, createUser, revokeInvite, setUserActive, setUserRole } from "#lib/domain/admin-users.ts";
import { createAuth } from "#lib/auth/sessions.ts";
import {
  archiveComponent,
  archiveGroup,
  changeComponentStatus,
  createComponent,
  createGroup,
  editComponent,
  editGroup,
  moveItem,
} from "#lib/domain/components.ts";
import { retryFailed } from "#lib/delivery/outbox.ts";
import { updateMailSettings } from "#lib/delivery/mail-settings.ts";
import { AppError, isAppError } from "#lib/core/errors.ts";
import { failedState } from "#lib/core/forms.ts";
import { correctUpdate } from "#lib/domain/incident-details.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { cancelMaintenance, rescheduleMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { updatePageSettings } from "#lib/domain/page-settings.ts";
import { CSV_IMPORT_MAX_BYTES, importSubscribersCsv } from "#lib/domain/subscribers/csv.ts";
import { deleteSubscriber } from "#lib/domain/subscribers/admin.ts";
import { tokenSecret } from "#lib/domain/subscribers/links.ts";
import { createTemplate, deleteTemplate, editTemplate, ensureDefaultTemplates } from "#lib/domain/templates.ts";
import * as incidentsRoute from "../../app/api/v1/incidents/route.ts";
import * as updatesRoute from "../../app/api/v1/incidents/[id]/updates/route.ts";
import * as componentRoute from "../../app/api/v1/components/[id]/route.ts";
import * as maintenanceListRoute from "../../app/api/v1/maintenance/route.ts";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "#lib/core/limits.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";
import { BAD_TEXT, corpusFor, OPTIONAL_LINE, OPTIONAL_TEXT, USER_ID, withValue, type FieldSpec } from "../support/hostile-corpus.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };

describe.each(engines)("hostile input on %s", (engine) => {
  let handle: DbHandle;
  const ids = {} as Record<"component" | "group" | "incident" | "update" | "maintenance" | "template" | "apiKey" | "user" | "invite", string>;
  let writeKey = "";
  let tables: string[] = [];

  /** A digest of every public table's rows, per table, in one query; `except` leaves out tables a refused call may touch. */
  async function snapshot(except: string[] = []): Promise<Record<string, string>> {
    const parts = tables
      .filter((table) => !except.includes(table))
      .map((table) => sql`select ${table} as name, md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest from ${sql.table(table)} t`);
    const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(handle.db);
    return Object.fromEntries(rows.map((row) => [row.name, row.digest]));
  }

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    process.env.BETTER_AUTH_URL = "http://localhost:3000";
    await createAuth(handle.db);
    await ensureDefaultTemplates(handle.db);
    // The token secret is created on first use; create it now so a refused import has nothing of its own to write.
    await tokenSecret(handle.db);
    ids.component = (await createComponent(handle.db, owner, { name: "API" })).id;
    ids.group = (await createGroup(handle.db, owner, { name: "Core" })).id;
    const declared = await declareIncident(handle.db, owner, { name: "Errors", severity: "SEV-2", body: "Investigating." });
    ids.incident = declared.incident.id;
    ids.update = declared.update.id;
    const start = new Date(Date.now() + 86_400_000);
    ids.maintenance = (
      await scheduleMaintenance(handle.db, owner, {
        name: "Upgrade",
        body: "Database upgrade.",
        scheduledFor: start,
        scheduledUntil: new Date(start.getTime() + 3_600_000),
      })
    ).maintenance.id;
    ids.template = (await createTemplate(handle.db, owner, { kind: "incident", status: "identified", name: "Custom", body: "Found it." })).id;
    const key = await createApiKey(handle.db, owner, { name: "alerts", scope: "write" });
    writeKey = key.token;
    ids.apiKey = key.key.id;
    ids.user = (await createUser(handle.db, owner, { email: "lead@example.com", password: "correct horse battery", role: "editor" })).id;
    ids.invite = (await createInvite(handle.db, owner, { email: "new@example.com", role: "viewer" })).invite.id;
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
    `.execute(handle.db);
    tables = rows.map((r) => r.table_name).sort();
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  /** Runs a write expected to be refused: an invalid_input error naming `field`, nothing written. */
  async function expectRefused(label: string, field: string, write: () => Promise<unknown>) {
    const before = await snapshot();
    let caught: unknown = null;
    try {
      await write();
    } catch (error) {
      caught = error;
    }
    expect(caught, `${label}: accepted`).not.toBeNull();
    expect(isAppError(caught, "invalid_input") ? "invalid_input" : String(caught).slice(0, 300), `${label}: not invalid_input`).toBe("invalid_input");
    const fields = (caught as AppError).issues.map((i) => i.field);
    expect(fields.some((f) => f === field || f.startsWith(`${field}.`)), `${label}: names ${fields.join(", ")} instead of ${field}`).toBe(true);
    expect(await snapshot(), `${label}: the database changed`).toEqual(before);
  }

  interface AdminWrite {
    name: string;
    run: (input: Record<string, unknown>) => Promise<unknown>;
    base: () => Record<string, unknown>;
    fields: Record<string, FieldSpec>;
  }

  const writes: AdminWrite[] = [
    {
      name: "declareIncident",
      run: (input) => declareIncident(handle.db, owner, input),
      base: () => ({ name: "Outage", severity: "SEV-1", body: "Investigating.", components: [{ id: ids.component, status: "major_outage" }] }),
      fields: { name: "line", body: "text", severity: "token", status: "token", "components.0.id": "token", "components.0.status": "token", startedAt: "date", displayAt: "date", components: "token" },
    },
    {
      name: "postUpdate",
      run: (input) => postUpdate(handle.db, owner, input),
      base: () => ({ incidentId: ids.incident, status: "identified", body: "Found it.", components: [{ id: ids.component, status: "partial_outage" }] }),
      fields: { incidentId: "token", status: "token", body: "text", severity: "token", displayAt: "date", "components.0.id": "token", "components.0.status": "token" },
    },
    {
      name: "correctUpdate",
      run: (input) => correctUpdate(handle.db, owner, input),
      base: () => ({ updateId: ids.update, body: "Investigating errors." }),
      fields: { updateId: "token", body: "text" },
    },
    {
      name: "publishPostmortem",
      run: (input) => publishPostmortem(handle.db, owner, input),
      base: () => ({ incidentId: ids.incident, body: "## Summary" }),
      fields: { incidentId: "token", body: "text" },
    },
    {
      name: "createComponent",
      run: (input) => createComponent(handle.db, owner, input),
      base: () => ({ name: "Web", description: "The website", groupId: ids.group }),
      fields: { name: "line", description: OPTIONAL_TEXT, groupId: "token", startDate: "date", status: "token", createdAt: "date" },
    },
    {
      name: "editComponent",
      run: (input) => editComponent(handle.db, owner, input),
      base: () => ({ id: ids.component, name: "API", description: "The API", groupId: ids.group }),
      fields: { id: "token", name: "line", description: OPTIONAL_TEXT, groupId: ["token", "empty"] },
    },
    {
      name: "createGroup",
      run: (input) => createGroup(handle.db, owner, input),
      base: () => ({ name: "Edge", description: "CDN" }),
      fields: { name: "line", description: OPTIONAL_TEXT },
    },
    {
      name: "editGroup",
      run: (input) => editGroup(handle.db, owner, input),
      base: () => ({ id: ids.group, name: "Core", description: "Core" }),
      fields: { id: "token", name: "line", description: OPTIONAL_TEXT },
    },
    {
      name: "changeComponentStatus",
      run: (input) => changeComponentStatus(handle.db, owner, input),
      base: () => ({ componentId: ids.component, status: "degraded_performance" }),
      fields: { componentId: "token", status: "token", at: "date" },
    },
    {
      name: "moveItem",
      run: (input) => moveItem(handle.db, owner, input),
      base: () => ({ kind: "component", id: ids.component, direction: "up" }),
      fields: { kind: "token", id: "token", direction: "token" },
    },
    { name: "archiveComponent", run: (input) => archiveComponent(handle.db, owner, input), base: () => ({ id: ids.component }), fields: { id: "token" } },
    { name: "archiveGroup", run: (input) => archiveGroup(handle.db, owner, input), base: () => ({ id: ids.group }), fields: { id: "token" } },
    {
      name: "scheduleMaintenance",
      run: (input) => scheduleMaintenance(handle.db, owner, input),
      base: () => ({
        name: "Upgrade",
        body: "Upgrade.",
        components: [ids.component],
        scheduledFor: "2030-01-01T10:00:00Z",
        scheduledUntil: "2030-01-01T11:00:00Z",
      }),
      fields: { name: "line", body: "text", "components.0": "token", impact: "token", announcedAt: "date", scheduledFor: "date", scheduledUntil: "date" },
    },
    {
      name: "rescheduleMaintenance",
      run: (input) => rescheduleMaintenance(handle.db, owner, input),
      base: () => ({ incidentId: ids.maintenance, scheduledFor: "2030-01-01T10:00:00Z", scheduledUntil: "2030-01-01T11:00:00Z" }),
      fields: { incidentId: "token", scheduledFor: "date", scheduledUntil: "date" },
    },
    {
      name: "cancelMaintenance",
      run: (input) => cancelMaintenance(handle.db, owner, input as never),
      base: () => ({ incidentId: ids.maintenance }),
      fields: { incidentId: "token", body: "text" },
    },
    {
      name: "createTemplate",
      run: (input) => createTemplate(handle.db, owner, input),
      base: () => ({ kind: "incident", status: "monitoring", name: "Watching", title: "", body: "Watching {{components}}." }),
      fields: { kind: "token", status: "token", name: "line", title: OPTIONAL_LINE, body: "text" },
    },
    {
      name: "editTemplate",
      run: (input) => editTemplate(handle.db, owner, input),
      base: () => ({ id: ids.template, kind: "incident", status: "identified", name: "Custom", title: "", body: "Found it." }),
      fields: { id: "token", name: "line", title: OPTIONAL_LINE, body: "text" },
    },
    { name: "deleteTemplate", run: (input) => deleteTemplate(handle.db, owner, input), base: () => ({ id: ids.template }), fields: { id: "token" } },
    {
      name: "createApiKey",
      run: (input) => createApiKey(handle.db, owner, input),
      base: () => ({ name: "ci", scope: "read" }),
      fields: { name: "line", scope: "token" },
    },
    { name: "revokeApiKey", run: (input) => revokeApiKey(handle.db, owner, input), base: () => ({ id: ids.apiKey }), fields: { id: "token" } },
    {
      name: "createInvite",
      run: (input) => createInvite(handle.db, owner, input),
      base: () => ({ email: "someone@example.com", role: "editor", hours: 24 }),
      fields: { email: "token", role: "token", hours: "number" },
    },
    { name: "revokeInvite", run: (input) => revokeInvite(handle.db, owner, input), base: () => ({ id: ids.invite }), fields: { id: "token" } },
    {
      name: "setUserRole",
      run: (input) => setUserRole(handle.db, owner, input),
      base: () => ({ userId: ids.user, role: "viewer" }),
      fields: { userId: USER_ID, role: "token" },
    },
    {
      name: "setUserActive",
      run: (input) => setUserActive(handle.db, owner, input),
      base: () => ({ userId: ids.user, active: false }),
      fields: { userId: USER_ID, active: ["token", "boolean"] },
    },
    {
      name: "createUser",
      run: (input) => createUser(handle.db, owner, input),
      base: () => ({ email: "other@example.com", password: "correct horse battery", role: "viewer", name: "Other" }),
      fields: { email: "token", role: "token", name: OPTIONAL_LINE },
    },
    {
      name: "updatePageSettings",
      run: (input) => updatePageSettings(handle.db, owner, input),
      base: () => ({ name: "Acme status", url: "https://status.example.com", timeZone: "Europe/Berlin", cadenceMinutes: { "SEV-1": 15, "SEV-2": 30, "SEV-3": 60, "SEV-4": null } }),
      fields: { name: "line", timeZone: "token", senderEmail: ["token", "empty"], "cadenceMinutes.SEV-1": "number" },
    },
    {
      name: "updateMailSettings",
      run: (input) => updateMailSettings(handle.db, owner, input),
      base: () => ({ mode: "auto", targetSeconds: 120 }),
      fields: { mode: "token", targetSeconds: "number" },
    },
    { name: "retryFailed", run: (input) => retryFailed(handle.db, owner, input), base: () => ({ updateId: ids.update }), fields: { updateId: "token" } },
    { name: "deleteSubscriber", run: (input) => deleteSubscriber(handle.db, owner, input), base: () => ({ id: "abcdefabcdef" }), fields: { id: "token" } },
  ];

  for (const write of writes) {
    it(`${write.name} refuses every hostile value, naming the field, and writes nothing`, async () => {
      for (const [field, spec] of Object.entries(write.fields)) {
        for (const [label, value] of corpusFor(spec)) {
          await expectRefused(`${write.name} ${field} = ${label}`, field, () => write.run(withValue(write.base(), field, value)));
        }
      }
    });
  }

  it("the CSV import refuses a file over its limit and a non-text file, and imports no hostile row", async () => {
    const header = "email,consented,components\n";
    await expectRefused("csv over the limit", "csv", () =>
      importSubscribersCsv(handle.db, owner, { csv: header + "a@example.com,yes,\n".repeat(Math.ceil(CSV_IMPORT_MAX_BYTES / 18) + 1) }),
    );
    await expectRefused("csv of multi-byte characters over the limit", "csv", () =>
      importSubscribersCsv(handle.db, owner, { csv: header + "é".repeat(CSV_IMPORT_MAX_BYTES / 2 + 1) }),
    );
    for (const [label, value] of [...BAD_TEXT.filter(([, v]) => typeof v !== "string"), ["NUL header", "email\u0000\nx@example.com"] as [string, unknown]]) {
      await expectRefused(`csv = ${label}`, "csv", () => importSubscribersCsv(handle.db, owner, { csv: value }));
    }
    // Hostile rows are each rejected by line; not one subscriber is written.
    const rows = BAD_TEXT.filter(([, v]) => typeof v === "string").map(([, v]) => `${v as string},yes,${v as string}`);
    rows.push(`ok@example.com,yes,\u0000API`, `"x\u0000"@example.com,no,`, `\ud800@example.com,yes,`);
    const before = await snapshot(["audit_entries"]);
    const report = await importSubscribersCsv(handle.db, owner, { csv: header + rows.join("\n") });
    expect(report.imported).toBe(0);
    expect(report.rejected).toHaveLength(rows.length);
    expect(await snapshot(["audit_entries"])).toEqual(before);
  });

  it("the server actions' body limit leaves room for the largest CSV the import takes", async () => {
    const { default: nextConfig } = (await import(pathToFileURL(join(process.cwd(), "next.config.mjs")).href)) as { default: unknown };
    const limit = (nextConfig as { experimental?: { serverActions?: { bodySizeLimit?: string } } }).experimental?.serverActions?.bodySizeLimit;
    expect(limit).toMatch(/^\d+mb$/);
    const bytes = Number.parseInt(limit!, 10) * 1024 * 1024;
    expect(bytes).toBe(SERVER_ACTION_BODY_LIMIT_BYTES);
    // A form posts the CSV percent- or multipart-encoded next to a few small fields: the limit must hold it.
    expect(bytes).toBeGreaterThanOrEqual(CSV_IMPORT_MAX_BYTES + 64 * 1024);
  });

  it("a database refusal that slips past the schemas becomes form errors, not a crash", async () => {
    let caught: unknown;
    try {
      await handle.db.insertInto("component_groups").values({ id: "zzzzzzzzzzzz", name: "a\u0000b", position: 1 }).execute();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeTruthy();
    const state = failedState(caught, { name: "a\u0000b" });
    expect(state.errors).toBeTruthy();
    expect(state.values).toEqual({ name: "a\u0000b" });
  });

  // --------------------------------------------------------------- the API

  const BASE = "http://localhost:3600/api/v1";
  function apiRequest(path: string, method: string, body: unknown, headers: Record<string, string> = {}) {
    return new Request(BASE + path, {
      method,
      headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json", ...headers },
      body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
  }

  async function expectApiRefused(label: string, field: string | null, send: () => Promise<Response>) {
    // The key's last-used time may be touched by any call; nothing else may change.
    const before = await snapshot(["api_keys"]);
    const response = await send();
    const body = (await response.json().catch(() => null)) as { error?: { issues?: { field: string }[] } } | null;
    expect(response.status, `${label}: ${JSON.stringify(body).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect(response.status, `${label}: ${JSON.stringify(body).slice(0, 300)}`).toBeLessThan(500);
    if (field !== null) {
      const fields = body?.error?.issues?.map((i) => i.field) ?? [];
      expect(fields.some((f) => f === field || f.startsWith(`${field}.`)), `${label}: names ${fields.join(", ")} instead of ${field}`).toBe(true);
    }
    expect(await snapshot(["api_keys"]), `${label}: the database changed`).toEqual(before);
  }

  interface ApiWrite {
    name: string;
    send: (body: unknown, headers?: Record<string, string>) => Promise<Response>;
    base: () => Record<string, unknown>;
    fields: Record<string, FieldSpec>;
  }

  const apiWrites: ApiWrite[] = [
    {
      name: "POST /incidents",
      send: (body, headers) => incidentsRoute.POST(apiRequest("/incidents", "POST", body, headers)),
      base: () => ({ name: "Outage", severity: "SEV-1", body: "Investigating.", components: [{ id: ids.component, status: "major_outage" }] }),
      fields: { name: "line", body: "text", severity: "token", status: "token", "components.0.id": "token", "components.0.status": "token", startedAt: "date", displayAt: "date", notify: ["token", "boolean"] },
    },
    {
      name: "POST /incidents/{id}/updates",
      send: (body, headers) =>
        updatesRoute.POST(apiRequest(`/incidents/${ids.incident}/updates`, "POST", body, headers), { params: Promise.resolve({ id: ids.incident }) }),
      base: () => ({ status: "identified", body: "Found it.", components: [{ id: ids.component, status: "partial_outage" }] }),
      fields: { status: "token", body: "text", severity: "token", displayAt: "date", "components.0.id": "token", "components.0.status": "token" },
    },
    {
      name: "PATCH /components/{id}",
      send: (body, headers) =>
        componentRoute.PATCH(apiRequest(`/components/${ids.component}`, "PATCH", body, headers), { params: Promise.resolve({ id: ids.component }) }),
      base: () => ({ status: "degraded_performance" }),
      fields: { status: "token", at: "date" },
    },
    {
      name: "POST /maintenance",
      send: (body, headers) => maintenanceListRoute.POST(apiRequest("/maintenance", "POST", body, headers)),
      base: () => ({ name: "Upgrade", body: "Upgrade.", components: [ids.component], scheduledFor: "2030-01-01T10:00:00Z", scheduledUntil: "2030-01-01T11:00:00Z" }),
      fields: { name: "line", body: "text", "components.0": "token", impact: "token", announcedAt: "date", scheduledFor: "date", scheduledUntil: "date", remindPrior: ["token", "boolean"] },
    },
  ];

  const utf8 = (text: string) => new TextEncoder().encode(text);
  // JSON cannot carry Date objects, Infinity or lone surrogates' meaning in the same way: send what JSON can.
  const jsonable = ([, value]: [string, unknown]) => !(value instanceof Date) && !(typeof value === "number" && !Number.isFinite(value));

  for (const write of apiWrites) {
    it(`${write.name} answers 4xx naming the field for every hostile value, and writes nothing`, async () => {
      for (const [field, spec] of Object.entries(write.fields)) {
        for (const entry of corpusFor(spec).filter(jsonable)) {
          await expectApiRefused(`${write.name} ${field} = ${entry[0]}`, field, () => write.send(withValue(write.base(), field, entry[1])));
        }
      }
      // Lone surrogates written as JSON escapes, the way another client would send them.
      const escaped = JSON.stringify(write.base()).replace(/"(Outage|Upgrade|Found it\.|Investigating\.|degraded_performance)"/, '"\\ud800"');
      await expectApiRefused(`${write.name} escaped lone surrogate`, null, () => write.send(escaped));
      for (const [label, body] of [
        ["an array", [write.base()]],
        ["a string", '"text"'],
        ["a number", "1e999"],
        ["null", "null"],
        ["nested objects", { ...write.base(), name: { a: { b: { c: "d" } } }, status: { $gt: "" } }],
        ["invalid UTF-8 escapes", JSON.stringify(write.base()).replace(/"$/, "") + '\\u00"}'],
        ["over 1 MB", { ...write.base(), body: "x".repeat(1_100_000) }],
        ["bytes that are not UTF-8", new Uint8Array([...utf8('{"x":"'), 0xc3, 0x28, ...utf8(`",${JSON.stringify(write.base()).slice(1)}`)])],
      ] as [string, unknown][]) {
        await expectApiRefused(`${write.name} body = ${label}`, null, () => write.send(body));
      }
      // An unknown key nested deep enough to break naive recursion, on a request that carries an Idempotency-Key.
      const deep = `{"x":${"[".repeat(100_000)}${"]".repeat(100_000)},${JSON.stringify(write.base()).slice(1)}`;
      await expectApiRefused(`${write.name} deeply nested body`, null, () => write.send(deep, { "idempotency-key": "deep-1" }));
    });
  }

  it("a path id that is not an id answers 4xx, not 500", async () => {
    for (const id of ["\u0000", "%E0%A4%A", "x".repeat(10_000), "\ud800"]) {
      await expectApiRefused(`PATCH /components/${JSON.stringify(id).slice(0, 20)}`, null, () =>
        componentRoute.PATCH(apiRequest(`/components/x`, "PATCH", { status: "major_outage" }), { params: Promise.resolve({ id }) }),
      );
      await expectApiRefused(`POST /incidents/${JSON.stringify(id).slice(0, 20)}/updates`, null, () =>
        updatesRoute.POST(apiRequest(`/incidents/x/updates`, "POST", { status: "identified", body: "x" }), { params: Promise.resolve({ id }) }),
      );
    }
  });
});

/*
 * The server action body limit, through the real production server: Next
 * itself reads an over-limit body, throws, and answers 500; proxy.ts
 * answers 413 first. Just under the limit, the action runs.
 */
describe("server action bodies", () => {
  let server: NextServer;
  const actions = {} as Record<"subscribeAction" | "importAction", string>;

  beforeAll(async () => {
    const distDir = process.env.NEXT_DIST_DIR || ".next-test";
    const manifest = JSON.parse(readFileSync(join(process.cwd(), distDir, "server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName: string }>;
    };
    for (const [id, reference] of Object.entries(manifest.node)) {
      if (reference.exportedName === "subscribeAction" || reference.exportedName === "importAction") actions[reference.exportedName] = id;
    }
    server = await startPreparedServer({ env: { CANDOR_WORKER: "off" } });
  });

  afterAll(() => server?.stop());

  /** A no-JavaScript form post (multipart, the action named in the form), as a browser sends it. */
  function formPost(path: string, action: string, bytes: number) {
    const form = new FormData();
    form.set(`$ACTION_ID_${action}`, "");
    form.set("csv", "x".repeat(bytes));
    return fetch(server.url + path, { method: "POST", body: form, headers: { origin: server.url }, redirect: "manual" });
  }

  it("answers 413 above SERVER_ACTION_BODY_LIMIT_BYTES, on public and admin paths", async () => {
    for (const [path, action] of [
      ["/subscribe", actions.subscribeAction],
      ["/admin/subscribers", actions.importAction],
    ]) {
      const over = await formPost(path, action, SERVER_ACTION_BODY_LIMIT_BYTES + 1);
      expect(over.status, `${path}: ${server.output().slice(-500)}`).toBe(413);
    }
  });

  it("takes an admin action whose body is just under the limit (no 4xx for size, no 5xx)", async () => {
    // Without a session the import sends the caller to sign-in: Next read the whole body to get there.
    const under = await formPost("/admin/subscribers", actions.importAction, SERVER_ACTION_BODY_LIMIT_BYTES - 64 * 1024);
    expect(under.status).toBeLessThan(400);
  });
});

/*
 * Hostile input on the Statuspage v1-compatible API's writes: every field
 * of every write body gets every hostile value of its kind, as JSON and as
 * a bracket-notation form where a form can carry it. Each answer must be a
 * 4xx whose message names the field as the client sent it, and no table
 * may change (but the key's rate and last-used bookkeeping).
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSharedDatabase, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { tokenSecret } from "#lib/domain/subscribers/links.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { corpusFor, withValue, type FieldSpec } from "../support/hostile-corpus.ts";
import { statuspageV1Client } from "../support/statuspage-v1-client.ts";

const owner: Actor = { id: "owner-1", name: "owner@example.com", source: "session", role: "owner" };
// Every hostile request counts against the key: the limit is off here (its own tests are elsewhere).
process.env.STATUSPAGE_API_RATE_LIMIT = "0";

// "" is "not given" for an optional field of a Statuspage body (a form cannot send null).
const OPTIONAL: FieldSpec = ["token", "empty"];
const FLAG: FieldSpec = ["token", "boolean"];
const OPTIONAL_FLAG: FieldSpec = ["token", "boolean", "empty"];
// An object of objects of text is what metadata is.
const METADATA: FieldSpec = ["token", "empty", "nested object"];

describe.each(engines)("hostile input on the Statuspage v1 API on %s", (engine) => {
  let handle: DbHandle;
  let key = "";
  let pageId = "";
  const ids = { component: "", group: "", incident: "", update: "" };
  let tables: string[] = [];
  const call = statuspageV1Client(() => key);

  async function snapshot(): Promise<Record<string, string>> {
    const parts = tables.map((t) => sql`select ${t} as name, md5(coalesce(string_agg(x::text, ',' order by x::text), '')) as digest from ${sql.table(t)} x`);
    const { rows } = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(handle.db);
    return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
  }

  async function expectRefused(label: string, field: string | null, send: () => ReturnType<typeof call>) {
    const before = await snapshot();
    const answer = await send();
    const text = JSON.stringify(answer.body).slice(0, 300);
    expect(answer.status, `${label}: ${text}`).toBeGreaterThanOrEqual(400);
    expect(answer.status, `${label}: ${text}`).toBeLessThan(500);
    if (field !== null) expect(answer.body?.error, `${label}: does not name ${field}`).toContain(field);
    expect(await snapshot(), `${label}: the database changed`).toEqual(before);
  }

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    useSharedDatabase(handle);
    await tokenSecret(handle.db);
    key = (await createApiKey(handle.db, owner, { name: "alerts", scope: "write" })).token;
    pageId = (await getPage(handle.db)).id;
    ids.group = (await createGroup(handle.db, systemActor, { name: "Core" })).id;
    ids.component = (await createComponent(handle.db, systemActor, { name: "API", groupId: ids.group })).id;
    const declared = await declareIncident(handle.db, systemActor, { name: "Errors", severity: "SEV-2", body: "Investigating." });
    ids.incident = declared.incident.id;
    ids.update = declared.update.id;
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not in ('api_keys', 'api_rate_limits')
    `.execute(handle.db);
    tables = rows.map((r) => r.table_name).sort();
  });

  afterAll(async () => {
    useSharedDatabase(undefined);
    await handle.close();
  });

  interface Write {
    method: string;
    path: () => string;
    wrapper: string;
    base: () => Record<string, unknown>;
    fields: Record<string, FieldSpec>;
  }

  const writes: Write[] = [
    {
      method: "POST",
      path: () => `pages/${pageId}/incidents`,
      wrapper: "incident",
      base: () => ({ name: "Outage", body: "Looking.", status: "investigating", components: { [ids.component]: "major_outage" } }),
      fields: {
        name: "line",
        body: "text",
        status: OPTIONAL,
        impact_override: OPTIONAL,
        [`components.${ids.component}`]: "token",
        component_ids: OPTIONAL,
        deliver_notifications: FLAG,
        backfill_date: ["date", "empty"],
        scheduled_for: ["date", "empty"],
        metadata: METADATA,
        scheduled_auto_in_progress: OPTIONAL_FLAG,
      },
    },
    {
      method: "PATCH",
      path: () => `pages/${pageId}/incidents/${ids.incident}`,
      wrapper: "incident",
      base: () => ({ status: "identified", body: "Found it.", components: { [ids.component]: "partial_outage" } }),
      fields: { name: ["line", "empty"], body: "text", status: OPTIONAL, [`components.${ids.component}`]: "token", impact_override: OPTIONAL, metadata: METADATA },
    },
    {
      method: "PATCH",
      path: () => `pages/${pageId}/incidents/${ids.incident}/incident_updates/${ids.update}`,
      wrapper: "incident_update",
      base: () => ({ body: "Corrected." }),
      fields: { body: "text", display_at: ["date", "empty"] },
    },
    {
      method: "POST",
      path: () => `pages/${pageId}/components`,
      wrapper: "component",
      base: () => ({ name: "Search", status: "operational", group_id: ids.group }),
      fields: { name: "line", status: OPTIONAL, group_id: OPTIONAL, showcase: OPTIONAL_FLAG, start_date: ["date", "empty"] },
    },
    {
      method: "PATCH",
      path: () => `pages/${pageId}/components/${ids.component}`,
      wrapper: "component",
      base: () => ({ status: "major_outage" }),
      fields: { status: OPTIONAL, name: ["line", "empty"], group_id: OPTIONAL, only_show_if_degraded: OPTIONAL_FLAG },
    },
    {
      method: "POST",
      path: () => `pages/${pageId}/component-groups`,
      wrapper: "component_group",
      base: () => ({ name: "Edge", components: [ids.component] }),
      fields: { name: "line", components: OPTIONAL },
    },
    {
      method: "POST",
      path: () => `pages/${pageId}/subscribers`,
      wrapper: "subscriber",
      base: () => ({ email: "someone@example.com", component_ids: [ids.component] }),
      fields: { email: "line", component_ids: OPTIONAL },
    },
    {
      method: "POST",
      path: () => `pages/${pageId}/incident_templates`,
      wrapper: "template",
      base: () => ({ name: "Failover", body: "Failing over.", update_status: "identified" }),
      fields: { name: "line", body: "text", update_status: "token" },
    },
  ];

  // What JSON can carry; a form carries strings only.
  const jsonable = ([, value]: [string, unknown]) => !(value instanceof Date) && !(typeof value === "number" && !Number.isFinite(value));
  // A form carries strings, and only well-formed ones: a lone surrogate is sent as U+FFFD by any encoder.
  const formable = ([, value]: [string, unknown]) => typeof value === "string" && value.isWellFormed() && value.length < 20_000;

  for (const write of writes) {
    it(`${write.method} …/${write.wrapper}: every hostile value, as JSON and as a form`, async () => {
      for (const [field, spec] of Object.entries(write.fields)) {
        const name = `${write.wrapper}.${field}`;
        for (const entry of corpusFor(spec).filter(jsonable)) {
          const body = { [write.wrapper]: withValue(write.base(), field, entry[1]) };
          await expectRefused(`JSON ${name} = ${entry[0]}`, name.split(".").slice(0, 2).join("."), () => call(write.method, write.path(), { body }));
        }
        for (const entry of corpusFor(spec).filter(formable)) {
          const body = { [write.wrapper]: withValue(write.base(), field, entry[1]) };
          await expectRefused(`form ${name} = ${entry[0]}`, name.split(".").slice(0, 2).join("."), () => call(write.method, write.path(), { body, encoding: "form" }));
        }
      }
      for (const [label, raw, type] of [
        ["a JSON array", JSON.stringify([write.base()]), "application/json"],
        ["JSON null", "null", "application/json"],
        ["JSON 1e999", "1e999", "application/json"],
        ["the object unwrapped", JSON.stringify(write.base()), "application/json"],
        ["deep JSON", `{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`, "application/json"],
        ["deep brackets", `${write.wrapper}${"[a]".repeat(50)}=1`, "application/x-www-form-urlencoded"],
        ["prototype keys", `__proto__[admin]=1&${write.wrapper}[__proto__][name]=x&constructor[prototype][x]=1`, "application/x-www-form-urlencoded"],
        ["bad percent-encoding", `${write.wrapper}[name]=%E0%A4%A`, "application/x-www-form-urlencoded"],
        ["nested where text goes", `${write.wrapper}[name][$gt]=`, "application/x-www-form-urlencoded"],
        ["bytes that are not UTF-8", "\udcff", "application/json"],
      ] as const) {
        await expectRefused(`${write.method} ${write.wrapper} body = ${label}`, null, () => call(write.method, write.path(), { raw, type }));
      }
    });
  }

  it("path ids that are not ids answer 404, never a 500", async () => {
    // As they arrive in the path, percent-encoded.
    for (const id of ["%00", "%E0%A4%A", "x".repeat(10_000), "%ED%A0%80", "constructor", "__proto__"]) {
      for (const [method, path] of [
        ["PATCH", `pages/${pageId}/incidents/${id}`],
        ["DELETE", `pages/${pageId}/components/${id}`],
        ["PUT", `pages/${pageId}/incidents/${ids.incident}/incident_updates/${id}`],
        ["PUT", `pages/${pageId}/incidents/${id}/postmortem`],
        ["PATCH", `pages/${id}/components/${ids.component}`],
      ] as const) {
        await expectRefused(`${method} ${path.slice(0, 60)}`, null, () =>
          call(method, path, { body: { incident: { body: "x" }, incident_update: { body: "x" }, component: { status: "major_outage" }, postmortem: { body_draft: "x" } } }),
        );
      }
    }
  });
});


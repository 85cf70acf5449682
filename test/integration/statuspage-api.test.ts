import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { advanceMaintenance, cancelMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { updatePageSettings } from "#lib/domain/page-settings.ts";
import { renderRss } from "#lib/public/feeds.ts";
import { loadSnapshot, statuspagePayload } from "#lib/public/statuspage-v2.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import {
  ENVELOPE_PATHS,
  envelopes,
  isNewestFirst,
  keyOrderProblems,
  singleIncidentSchema,
  type EnvelopePath,
} from "../support/statuspage-schemas.ts";

/*
 * The API's payloads from real data written through the domain functions,
 * on PGlite and PostgreSQL, validated against the strict schemas of
 * test/support/statuspage-schemas.ts.
 */
describe.each(engines)("Statuspage v2 API on %s", (engine) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await freshDatabase(engine);
  });
  afterEach(async () => {
    await handle.close();
  });

  async function get(path: EnvelopePath) {
    const payload = JSON.parse(JSON.stringify(await statuspagePayload(handle.db, path)));
    envelopes[path].parse(payload);
    expect(keyOrderProblems(path, payload)).toEqual([]);
    return payload;
  }

  it("serves every endpoint on an empty page", async () => {
    for (const path of ENVELOPE_PATHS) await get(path);
    expect((await get("summary.json")).status).toEqual({ indicator: "none", description: "All Systems Operational" });
  });

  it("gives a component's start_date as the calendar day it was set to", async () => {
    const started = await createComponent(handle.db, systemActor, { name: "Started", startDate: "2026-01-15" });
    const components = await get("components.json");
    const component = components.components.find((c: { id: string }) => c.id === started.id);
    expect(component.start_date).toBe("2026-01-15");
    const { start_date } = await handle.db.selectFrom("components").select("start_date").where("id", "=", started.id).executeTakeFirstOrThrow();
    expect(start_date).toBe("2026-01-15");
  });

  it("serves the demo data: valid, newest first, summary and components.json agree", async () => {
    await seedDemo(handle.db);
    for (const path of ENVELOPE_PATHS) await get(path);
    const summary = await get("summary.json");
    const components = await get("components.json");
    expect(summary.components).toEqual(components.components);
    expect(components.components.filter((c: { group: boolean }) => c.group).length).toBeGreaterThan(0);
    const incidents = (await get("incidents.json")).incidents;
    expect(incidents.length).toBeGreaterThan(5);
    expect(isNewestFirst(incidents.map((i: { created_at: string }) => i.created_at))).toBe(true);
    for (const i of incidents) {
      expect(isNewestFirst(i.incident_updates.map((u: { display_at: string }) => u.display_at))).toBe(true);
    }
    const unresolved = (await get("incidents/unresolved.json")).incidents;
    expect(summary.incidents).toEqual(unresolved);
    expect(unresolved.length).toBeGreaterThan(0);
    // The one overall status rule (docs/machine-endpoints.md): the demo's active incident degrades a component.
    expect(summary.status.indicator).not.toBe("none");
  });

  it("covers the edge cases: DST zone, no-component incident, backfill, maintenance in progress, cancelled", async () => {
    await updatePageSettings(handle.db, systemActor, { name: "Acme", url: "https://status.acme.test/", timeZone: "America/Los_Angeles" });
    const group = await createGroup(handle.db, systemActor, { name: "Only a group" });
    const emptyGroup = await createGroup(handle.db, systemActor, { name: "Empty group" });
    const summer = await createComponent(handle.db, systemActor, {
      name: "Summer",
      groupId: group.id,
      createdAt: new Date("2025-07-15T20:00:00Z"),
    });
    const api = await createComponent(handle.db, systemActor, { name: "API", createdAt: new Date("2025-01-15T20:00:00Z") });
    // An incident without components, with a backfilled update.
    const { incident } = await declareIncident(handle.db, systemActor, {
      name: "Login trouble for some 用户 ✨",
      severity: "SEV-3",
      body: "We are investigating.",
      startedAt: new Date(Date.now() - 2 * 3_600_000),
    });
    await postUpdate(handle.db, systemActor, { incidentId: incident.id, status: "identified", body: "Found it." });
    await postUpdate(handle.db, systemActor, {
      incidentId: incident.id,
      status: "investigating",
      body: "Backfilled: first reports came in earlier.",
      displayAt: new Date(Date.now() - 3_600_000),
    });
    const window = await scheduleMaintenance(handle.db, systemActor, {
      name: "Database upgrade",
      body: "We will be undergoing scheduled maintenance during this time.",
      components: [api.id],
      scheduledFor: new Date(Date.now() - 600_000),
      scheduledUntil: new Date(Date.now() + 3_600_000),
    });
    await advanceMaintenance(handle.db, systemActor, { incidentId: window.maintenance.id, status: "in_progress" });
    const later = await scheduleMaintenance(handle.db, systemActor, {
      name: "Cancelled later",
      body: "Planned.",
      scheduledFor: new Date(Date.now() + 86_400_000),
      scheduledUntil: new Date(Date.now() + 90_000_000),
    });
    await cancelMaintenance(handle.db, systemActor, { incidentId: later.maintenance.id });

    for (const path of ENVELOPE_PATHS) await get(path);
    const summary = await get("summary.json");
    expect(summary.page.url).toBe("https://status.acme.test");
    expect(summary.status).toEqual({ indicator: "maintenance", description: "Service Under Maintenance" });
    const offsets = new Set(
      JSON.stringify(summary)
        .match(/\.\d{3}([+-]\d\d:\d\d|Z)"/g)!
        .map((m) => m.slice(4, -1)),
    );
    // Created in January (PST) and in July (PDT): both offsets in one payload, never Z.
    expect(offsets.has("-08:00")).toBe(true);
    expect(offsets.has("-07:00")).toBe(true);
    expect(offsets.has("Z")).toBe(false);
    expect(summary.components.map((c: { id: string; group: boolean; components?: string[] }) => [c.id, c.group, c.components])).toEqual([
      [group.id, true, [summer.id]],
      [summer.id, false, undefined],
      [emptyGroup.id, true, []],
      [api.id, false, undefined],
    ]);

    const [open] = summary.incidents;
    expect(open.components).toEqual([]);
    expect(open.status).toBe("identified");
    expect(open.incident_updates.map((u: { body: string }) => u.body)).toEqual([
      "Found it.",
      "Backfilled: first reports came in earlier.",
      "We are investigating.",
    ]);
    expect(open.incident_updates.every((u: { affected_components: unknown }) => u.affected_components === null)).toBe(true);

    const active = (await get("scheduled-maintenances/active.json")).scheduled_maintenances;
    expect(active.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([["Database upgrade", "in_progress"]]);
    expect(active[0].components.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[api.id, "under_maintenance"]]);
    expect(active[0].incident_updates[0].affected_components).toEqual([
      { code: api.id, name: "API", old_status: "operational", new_status: "under_maintenance" },
    ]);
    expect((await get("scheduled-maintenances/upcoming.json")).scheduled_maintenances).toEqual([]);
    const all = (await get("scheduled-maintenances.json")).scheduled_maintenances;
    expect(all.map((m: { name: string; status: string }) => [m.name, m.status])).toEqual([
      ["Cancelled later", "completed"],
      ["Database upgrade", "in_progress"],
    ]);

    const single = await statuspagePayload(handle.db, `incidents/${incident.id}.json`);
    expect(singleIncidentSchema.parse(JSON.parse(JSON.stringify(single))).incident.id).toBe(incident.id);
    const singleMaintenance = await statuspagePayload(handle.db, `incidents/${window.maintenance.id}.json`);
    expect(singleIncidentSchema.parse(JSON.parse(JSON.stringify(singleMaintenance))).incident.name).toBe("Database upgrade");
    expect(await statuspagePayload(handle.db, "incidents/zzzzzzzzzzzz.json")).toBeNull();
    expect(await statuspagePayload(handle.db, "nonsense.json")).toBeNull();

    // The feed of the same data shows the DST zone's abbreviation and the backfilled update in place.
    const rss = renderRss(await loadSnapshot(handle.db));
    expect(rss).toMatch(/P[SD]T&lt;\/small&gt;/);
    expect(rss.indexOf("Found it.")).toBeLessThan(rss.indexOf("Backfilled"));
  });

  it("caps incidents.json at the 50 most recent but keeps older unresolved ones in unresolved.json", async () => {
    const { incident: old } = await declareIncident(handle.db, systemActor, {
      name: "Old and still open",
      severity: "SEV-4",
      body: "Open for a long time.",
      startedAt: new Date(Date.now() - 30 * 86_400_000),
    });
    for (let n = 0; n < 51; n++) {
      const { incident } = await declareIncident(handle.db, systemActor, {
        name: `Blip ${n}`,
        severity: "SEV-4",
        body: "A blip.",
        startedAt: new Date(Date.now() - (51 - n) * 60_000),
      });
      await postUpdate(handle.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Gone." });
    }
    const incidents = (await get("incidents.json")).incidents;
    expect(incidents).toHaveLength(50);
    expect(incidents[0].name).toBe("Blip 50");
    expect(incidents.some((i: { id: string }) => i.id === old.id)).toBe(false);
    expect((await get("incidents/unresolved.json")).incidents.map((i: { id: string }) => i.id)).toEqual([old.id]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { changeComponentStatus, createComponent, createGroup, listComponents } from "#lib/domain/components.ts";
import { AppError } from "#lib/core/errors.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import {
  advanceDueMaintenance,
  advanceMaintenance,
  cancelMaintenance,
  rescheduleMaintenance,
  scheduleMaintenance,
} from "#lib/domain/maintenance.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const viewer: Actor = { id: "v", name: "viewer@example.com", source: "session", role: "viewer" };

async function counts(h: DbHandle) {
  const row = await sql<{ incidents: number; updates: number; changes: number; audits: number }>`
    select (select count(*)::int from incidents) as incidents,
           (select count(*)::int from incident_updates) as updates,
           (select count(*)::int from component_status_changes) as changes,
           (select count(*)::int from audit_entries) as audits`.execute(h.db);
  return row.rows[0];
}

describe.each(engines)("domain writes on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let web: string;

  beforeAll(async () => {
    h = await freshDatabase(engine);
    const group = await createGroup(h.db, systemActor, { name: "Platform" });
    api = (await createComponent(h.db, systemActor, { name: "API", groupId: group.id })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
  });
  afterAll(async () => h?.close());

  it("creates components with per-level positions and a recorded initial status", async () => {
    const list = await listComponents(h.db);
    expect(list.map((c) => [c.name, c.position, c.status])).toEqual([
      ["API", 1, "operational"],
      ["Web", 2, "operational"],
    ]);
    const group = await h.db.selectFrom("component_groups").select("position").executeTakeFirstOrThrow();
    expect(group.position).toBe(1);
  });

  it("declares an incident: reference, impact from severity, cadence, component history, audit", async () => {
    const before = await counts(h);
    const { incident, update } = await declareIncident(h.db, systemActor, {
      name: "API down",
      severity: "SEV-1",
      body: "We are investigating.",
      components: [{ id: api, status: "major_outage" }],
    });
    expect(incident.reference).toMatch(/^INC-\d{4}-\d{4}$/);
    expect(incident.id).toMatch(/^[a-z0-9]{12}$/);
    expect(incident.impact).toBe("critical");
    expect(incident.status).toBe("investigating");
    const due = incident.next_update_due_at!.getTime() - Date.now();
    expect(due).toBeGreaterThan(14 * 60_000);
    expect(due).toBeLessThanOrEqual(15 * 60_000);
    expect(update.changes).toEqual([
      { update_id: update.id, component_id: api, old_status: "operational", new_status: "major_outage" },
    ]);
    expect((await listComponents(h.db)).find((c) => c.id === api)?.status).toBe("major_outage");
    const after = await counts(h);
    expect(after.incidents - before.incidents).toBe(1);
    expect(after.changes - before.changes).toBe(1);
    expect(after.audits - before.audits).toBe(1);

    const second = await declareIncident(h.db, systemActor, { name: "Second", severity: "SEV-4", body: "x" });
    const n1 = Number(incident.reference.slice(-4));
    expect(second.incident.reference.slice(-4)).toBe(String(n1 + 1).padStart(4, "0"));
    expect(second.incident.next_update_due_at).toBeNull();
  });

  it("posts updates through the lifecycle and resolves", async () => {
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Slow web",
      severity: "SEV-3",
      body: "Looking into it.",
      components: [{ id: web, status: "degraded_performance" }],
    });
    const identified = await postUpdate(h.db, systemActor, {
      incidentId: incident.id,
      status: "identified",
      body: "Found it.",
      components: [{ id: web, status: "degraded_performance" }],
    });
    expect(identified.incident.status).toBe("identified");
    expect(identified.incident.identified_at).not.toBeNull();
    // Unchanged components are listed with old == new and add no history.
    expect(identified.update.changes[0]).toMatchObject({ old_status: "degraded_performance", new_status: "degraded_performance" });
    const monitoring = await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "monitoring", body: "Fixed." });
    expect(monitoring.incident.monitoring_at).not.toBeNull();
    const resolved = await postUpdate(h.db, systemActor, {
      incidentId: incident.id,
      status: "resolved",
      body: "Resolved.",
      components: [{ id: web, status: "operational" }],
    });
    expect(resolved.incident.status).toBe("resolved");
    expect(resolved.incident.resolved_at).not.toBeNull();
    expect(resolved.incident.next_update_due_at).toBeNull();
    expect((await listComponents(h.db)).find((c) => c.id === web)?.status).toBe("operational");

    const pm = await publishPostmortem(h.db, systemActor, { incidentId: incident.id, body: "## Summary\nWe fixed it." });
    expect(pm.status).toBe("postmortem");
    expect(pm.postmortem_published_at).not.toBeNull();
  });

  it("backfills an update without moving the lifecycle", async () => {
    const { incident } = await declareIncident(h.db, systemActor, { name: "Late find", severity: "SEV-3", body: "Now." });
    const result = await postUpdate(h.db, systemActor, {
      incidentId: incident.id,
      status: "identified",
      body: "Earlier note.",
      displayAt: new Date(Date.now() - 3_600_000),
    });
    expect(result.incident.status).toBe("investigating");
    expect(result.incident.identified_at?.getTime()).toBeLessThan(Date.now() - 3_500_000);
  });

  it("records a backdated window against the status at its own time", async () => {
    const day = 86_400_000;
    const solo = (await createComponent(h.db, systemActor, { name: "Solo", createdAt: new Date(Date.now() - 30 * day) })).id;
    await changeComponentStatus(h.db, systemActor, { componentId: solo, status: "degraded_performance", at: new Date(Date.now() - 2 * day) });
    await changeComponentStatus(h.db, systemActor, { componentId: solo, status: "operational", at: new Date(Date.now() - day) });
    const start = new Date(Date.now() - 10 * day);
    const { maintenance } = await scheduleMaintenance(h.db, systemActor, {
      name: "Past window",
      body: "Done long ago.",
      components: [solo],
      scheduledFor: start,
      scheduledUntil: new Date(start.getTime() + 3_600_000),
      announcedAt: new Date(start.getTime() - day),
      autoTransition: false,
    });
    await advanceMaintenance(h.db, systemActor, { incidentId: maintenance.id, status: "in_progress", at: start });
    await advanceMaintenance(h.db, systemActor, { incidentId: maintenance.id, status: "completed", at: new Date(start.getTime() + 3_600_000) });
    const history = await h.db
      .selectFrom("component_status_changes")
      .select(["status", "at"])
      .where("component_id", "=", solo)
      .orderBy("at")
      .execute();
    expect(history.map((c) => c.status)).toEqual([
      "operational",
      "under_maintenance",
      "operational",
      "degraded_performance",
      "operational",
    ]);
    expect((await listComponents(h.db)).find((c) => c.id === solo)?.status).toBe("operational");
  });

  it("rejects bad input with field names and leaves the database unchanged", async () => {
    const before = await counts(h);
    const attempts: [unknown, string][] = [
      [{ name: "", severity: "SEV-1", body: "x" }, "name"],
      [{ name: "x", severity: "SEV-9", body: "x" }, "severity"],
      [{ name: "x", severity: "SEV-1", body: "ETA {{eta}}" }, "body"],
      [{ name: "x", severity: "SEV-1", body: "x", components: [{ id: "nope", status: "operational" }] }, "components.0.id"],
      [{ name: "x", severity: "SEV-1", body: "x", components: [{ id: api, status: "on_fire" }] }, "components.0.status"],
    ];
    for (const [input, field] of attempts) {
      const error = await declareIncident(h.db, systemActor, input).catch((e) => e);
      expect(error).toMatchObject({ code: "invalid_input" });
      expect((error as AppError).issues.map((i) => i.field)).toContain(field);
    }
    const wrongKind = await declareIncident(h.db, systemActor, { name: "k", severity: "SEV-2", body: "x" });
    const kindError = await postUpdate(h.db, systemActor, { incidentId: wrongKind.incident.id, status: "in_progress", body: "x" }).catch((e) => e);
    expect((kindError as AppError).issues[0].field).toBe("status");
    const after = await counts(h);
    // Only the one valid declaration wrote anything.
    expect(after.incidents - before.incidents).toBe(1);
    expect(after.updates - before.updates).toBe(1);
    expect(after.audits - before.audits).toBe(1);
  });

  it("refuses callers without the right role", async () => {
    await expect(declareIncident(h.db, viewer, { name: "x", severity: "SEV-1", body: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(changeComponentStatus(h.db, viewer, { componentId: web, status: "major_outage" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("rolls the change back when its audit entry cannot be written", async () => {
    await sql`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit refused'; end $$`.execute(h.db);
    await sql`create trigger refuse_audit before insert on audit_entries for each row execute function refuse_audit()`.execute(h.db);
    try {
      const before = await counts(h);
      await expect(
        declareIncident(h.db, systemActor, { name: "Lost?", severity: "SEV-2", body: "x", components: [{ id: web, status: "partial_outage" }] }),
      ).rejects.toThrow(/audit refused/);
      await expect(changeComponentStatus(h.db, systemActor, { componentId: web, status: "major_outage" })).rejects.toThrow(/audit refused/);
      expect(await counts(h)).toEqual(before);
      expect((await listComponents(h.db)).find((c) => c.id === web)?.status).toBe("operational");
    } finally {
      await sql`drop trigger refuse_audit on audit_entries`.execute(h.db);
      await sql`drop function refuse_audit()`.execute(h.db);
    }
  });

  it("moves maintenance through its window on schedule, reschedules and cancels", async () => {
    const start = new Date(Date.now() + 60_000);
    const { maintenance } = await scheduleMaintenance(h.db, systemActor, {
      name: "Upgrade",
      body: "Upgrading.",
      components: [web],
      scheduledFor: start,
      scheduledUntil: new Date(start.getTime() + 3_600_000),
    });
    expect(maintenance.reference).toMatch(/^MNT-/);
    expect(maintenance.status).toBe("scheduled");
    expect(await advanceDueMaintenance(h.db, new Date())).toBe(0);
    expect(await advanceDueMaintenance(h.db, new Date(start.getTime() + 1000))).toBe(1);
    let row = await h.db.selectFrom("incidents").selectAll().where("id", "=", maintenance.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("in_progress");
    expect((await listComponents(h.db)).find((c) => c.id === web)?.status).toBe("under_maintenance");
    expect(await advanceDueMaintenance(h.db, new Date(start.getTime() + 3_601_000))).toBe(1);
    row = await h.db.selectFrom("incidents").selectAll().where("id", "=", maintenance.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("completed");
    expect((await listComponents(h.db)).find((c) => c.id === web)?.status).toBe("operational");

    const later = await scheduleMaintenance(h.db, systemActor, {
      name: "Later",
      body: "Later.",
      scheduledFor: new Date(Date.now() + 86_400_000),
      scheduledUntil: new Date(Date.now() + 90_000_000),
    });
    const moved = await rescheduleMaintenance(h.db, systemActor, {
      incidentId: later.maintenance.id,
      scheduledFor: new Date(Date.now() + 2 * 86_400_000),
      scheduledUntil: new Date(Date.now() + 2 * 86_400_000 + 3_600_000),
    });
    expect(moved.sequence).toBe(1);
    await cancelMaintenance(h.db, systemActor, { incidentId: later.maintenance.id });
    row = await h.db.selectFrom("incidents").selectAll().where("id", "=", later.maintenance.id).executeTakeFirstOrThrow();
    expect(row.cancelled_at).not.toBeNull();
    expect(row.sequence).toBe(2);
    const bad = await scheduleMaintenance(h.db, systemActor, {
      name: "Backwards",
      body: "x",
      scheduledFor: new Date(Date.now() + 7_200_000),
      scheduledUntil: new Date(Date.now() + 3_600_000),
    }).catch((e) => e);
    expect((bad as AppError).issues[0].field).toBe("scheduledUntil");
  });

  it("enforces constraints in the database, not only in TypeScript", async () => {
    await expect(
      sql`insert into components (id, name, position) values ('UPPERCASE123', 'x', 1)`.execute(h.db),
    ).rejects.toThrow();
    await expect(
      sql`insert into component_status_changes (component_id, status, at) values (${web}, 'on_fire', now())`.execute(h.db),
    ).rejects.toThrow();
    await expect(
      sql`update incidents set status = 'in_progress' where kind = 'incident'`.execute(h.db),
    ).rejects.toThrow();
  });

  it("allocates references and runs transactions concurrently without losing any", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => declareIncident(h.db, systemActor, { name: `Concurrent ${i}`, severity: "SEV-4", body: "x" })),
    );
    const refs = new Set(results.map((r) => r.incident.reference));
    expect(refs.size).toBe(20);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { AppError } from "#lib/core/errors.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { reliabilityReport, targetChecks } from "#lib/domain/measures.ts";
import { setMilestones } from "#lib/domain/milestones.ts";
import { addDays, dayKey } from "#lib/core/time.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const MIN = 60_000;

/* The milestones Candor records and the report read from a real database; the arithmetic has its unit tests. */
describe.each(engines)("milestones and the reliability report on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let web: string;
  let incidentId: string;
  // Set once the components exist: the incident's component changes must come after their first status.
  let start = 0;
  let period = { firstDay: "", endDay: "" };

  beforeAll(async () => {
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
    start = Date.now() + 10;
    const today = dayKey(new Date(start), "Etc/UTC");
    period = { firstDay: addDays(today, -2), endDay: addDays(today, 1) };
  });
  afterAll(async () => h?.close());

  it("keeps the given detection and acknowledgement, and refuses them out of order", async () => {
    const refused = await declareIncident(h.db, systemActor, {
      name: "Out of order",
      severity: "SEV-3",
      body: "x",
      startedAt: new Date(start - 60 * MIN),
      displayAt: new Date(start),
      detectedAt: new Date(start - 70 * MIN),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).issues?.map((i) => i.field)).toEqual(["detectedAt"]);
    expect(await h.db.selectFrom("incidents").select("id").execute()).toEqual([]);

    const { incident } = await declareIncident(h.db, systemActor, {
      name: "API errors",
      severity: "SEV-3",
      body: "Investigating.",
      components: [{ id: api, status: "partial_outage" }],
      startedAt: new Date(start - 60 * MIN),
      displayAt: new Date(start),
      detectedAt: new Date(start - 50 * MIN),
      acknowledgedAt: new Date(start - 45 * MIN),
    });
    incidentId = incident.id;
    expect(incident.detected_at).toEqual(new Date(start - 50 * MIN));
    expect(incident.acknowledged_at).toEqual(new Date(start - 45 * MIN));
    expect(incident.backfilled).toBe(false);
    // SEV-3 promises the next update within 60 minutes; the update keeps that promise.
    const first = await h.db.selectFrom("incident_updates").select(["created_at", "next_update_due_at"]).where("incident_id", "=", incident.id).executeTakeFirstOrThrow();
    expect(first.next_update_due_at!.getTime() - first.created_at.getTime()).toBe(60 * MIN);
  });

  it("takes the start from the detection when only that is given", async () => {
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Found by an alert",
      severity: "SEV-4",
      body: "x",
      detectedAt: new Date(start - 20 * MIN),
    });
    expect(incident.started_at).toEqual(new Date(start - 20 * MIN));
    expect(incident.backfilled).toBe(false);
    await h.db.deleteFrom("incidents").where("id", "=", incident.id).execute();
  });

  it("edits given milestones later, audited; an empty one goes back to the declaration", async () => {
    const refused = await setMilestones(h.db, systemActor, { incidentId, acknowledgedAt: new Date(start - 55 * MIN) }).catch((e: unknown) => e);
    expect((refused as AppError).issues?.map((i) => i.field)).toEqual(["acknowledgedAt"]);
    await setMilestones(h.db, systemActor, { incidentId, detectedAt: new Date(start - 52 * MIN) });
    const audit = await h.db.selectFrom("audit_entries").selectAll().where("action", "=", "incident.milestones").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ detected_at: new Date(start - 52 * MIN).toISOString() });
    const cleared = await setMilestones(h.db, systemActor, { incidentId, acknowledgedAt: "" });
    expect(cleared.acknowledged_at).toBeNull();
    await setMilestones(h.db, systemActor, { incidentId, detectedAt: new Date(start - 50 * MIN), acknowledgedAt: new Date(start - 45 * MIN) });
  });

  it("records a raised severity, a reopening and the last resolution", async () => {
    await postUpdate(h.db, systemActor, { incidentId, status: "identified", severity: "SEV-1", body: "Found it." });
    await postUpdate(h.db, systemActor, { incidentId, status: "monitoring", body: "Fixed.", components: [{ id: api, status: "operational" }] });
    await postUpdate(h.db, systemActor, { incidentId, status: "resolved", body: "Resolved." });
    await postUpdate(h.db, systemActor, { incidentId, status: "investigating", body: "It is back." });
    const { incident } = await postUpdate(h.db, systemActor, { incidentId, status: "resolved", body: "Resolved again." });
    const updates = await h.db.selectFrom("incident_updates").select(["status", "created_at"]).where("incident_id", "=", incidentId).orderBy("created_at").execute();
    expect(incident.resolved_at!.getTime()).toBe(updates.at(-1)!.created_at.getTime());
    expect(incident.severity).toBe("SEV-1");
  });

  it("reports the incident under its severity now, maintenance only as maintenance minutes", async () => {
    const { maintenance } = await scheduleMaintenance(h.db, systemActor, {
      name: "Database upgrade",
      body: "Upgrading.",
      components: [web],
      scheduledFor: new Date(start - 30 * MIN),
      scheduledUntil: new Date(start + 60 * MIN),
      autoTransition: false,
      notify: false,
      announcedAt: new Date(start - 60 * MIN),
    });
    await advanceMaintenance(h.db, systemActor, { incidentId: maintenance.id, status: "in_progress", at: new Date(start - 30 * MIN), notify: false });
    await advanceMaintenance(h.db, systemActor, { incidentId: maintenance.id, status: "completed", at: new Date(start - 10 * MIN), notify: false });
    await publishPostmortem(h.db, systemActor, { incidentId, body: "What happened." });

    const report = await reliabilityReport(h.db, { period });
    const c = report.current;
    expect(c.incidents.total).toBe(1);
    expect(c.incidents.bySeverity["SEV-1"]).toBe(1);
    expect(c.maintenanceMinutes).toBe(20);
    expect(c.durations.acknowledge).toMatchObject({ count: 1, median: 5 });
    // Detected 50 minutes before the declaration, whose update was the first public one.
    expect(c.durations.firstUpdate.median!).toBeGreaterThan(49.9);
    expect(c.durations.firstUpdate.median!).toBeLessThan(51);
    expect(c.postmortems).toEqual({ due: 1, onTime: 1, late: 0, outstanding: 0 });
    expect(c.promises.missed).toBe(0);
    expect(c.promises.kept).toBeGreaterThanOrEqual(3);
    // The API was partly out from the declaration to monitoring, after its creation.
    expect(c.availability).toBeLessThan(1);
    expect(report.previous.incidents.total).toBe(0);
    expect(report.components.map((x) => [x.name, x.figures.incidents.total, x.figures.maintenanceMinutes])).toEqual([
      ["API", 1, 0],
      ["Web", 0, 20],
    ]);
    const webOnly = await reliabilityReport(h.db, { period, componentId: web });
    expect(webOnly.current.incidents.total).toBe(0);
    expect(webOnly.current.availability).toBe(1);
  });

  it("checks an incident's targets for the admin", async () => {
    const row = await h.db.selectFrom("incidents").selectAll().where("id", "=", incidentId).executeTakeFirstOrThrow();
    const checks = (await targetChecks(h.db, [row])).get(incidentId)!;
    // SEV-1 now: acknowledged 5 minutes after detection (met), first public update 50 minutes after (missed: 30).
    expect(Object.fromEntries(checks.map((x) => [x.kind, x.state]))).toEqual({ acknowledge: "met", firstUpdate: "missed", resolve: "met", postmortem: "met" });
  });
});

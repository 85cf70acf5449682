/*
 * The admin area's writes and reads, on PGlite and PostgreSQL: corrections,
 * reordering, archiving, templates, the audit log and the incident list's
 * cadence — each write audited in its own transaction, each refused for a
 * role that lacks the right.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { listAuditEntries } from "#lib/domain/audit.ts";
import {
  archiveComponent,
  archiveGroup,
  createComponent,
  createGroup,
  editComponent,
  listComponents,
  listGroups,
  moveItem,
} from "#lib/domain/components.ts";
import { AppError } from "#lib/core/errors.ts";
import { correctUpdate } from "#lib/domain/incident-details.ts";
import {
  declareIncident,
  getIncidentForAdmin,
  listIncidentsForAdmin,
  nextStatus,
  postUpdate,
  updateDueText,
} from "#lib/domain/incidents.ts";
import { timelineMarkdown } from "#lib/domain/drafts.ts";
import { listMaintenanceForAdmin, remindDueMaintenance, scheduleMaintenance, startMaintenanceClock } from "#lib/domain/maintenance.ts";
import { createTemplate, deleteTemplate, editTemplate, ensureDefaultTemplates, listTemplates } from "#lib/domain/templates.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const editor: Actor = { id: "u-editor", name: "editor@example.com", source: "session", role: "editor", ip: "203.0.113.7" };
const viewer: Actor = { id: "u-viewer", name: "viewer@example.com", source: "session", role: "viewer" };

describe.each(engines)("admin writes on %s", (engine) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshDatabase(engine);
    await ensureDefaultTemplates(handle.db);
  });
  afterAll(() => handle.close());

  it("corrects a posted update's text, audited with before and after", async () => {
    const api = await createComponent(handle.db, systemActor, { name: "API" });
    const { incident, update } = await declareIncident(handle.db, editor, {
      name: "API errors",
      severity: "SEV-2",
      body: "We are investigating errros.",
      components: [{ id: api.id, status: "partial_outage" }],
    });
    await expect(correctUpdate(handle.db, viewer, { updateId: update.id, body: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(correctUpdate(handle.db, editor, { updateId: update.id, body: "ETA {{eta}}" })).rejects.toMatchObject({ code: "invalid_input" });
    const corrected = await correctUpdate(handle.db, editor, { updateId: update.id, body: "We are investigating errors." });
    expect(corrected.body).toBe("We are investigating errors.");
    const { entries } = await listAuditEntries(handle.db, { action: "incident.correct", subjectId: incident.id });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: "editor@example.com", source: "session", ip: "203.0.113.7" });
    expect(entries[0].before).toMatchObject({ body: "We are investigating errros." });
    expect(entries[0].after).toMatchObject({ body: "We are investigating errors." });
    const view = await getIncidentForAdmin(handle.db, incident.id);
    expect(view.updates.map((u) => u.body)).toEqual(["We are investigating errors."]);
    expect(view.components.map((c) => c.status)).toEqual(["partial_outage"]);
  });

  it("lists active incidents first with their next-update promise, and words the cadence", async () => {
    const { incident } = await declareIncident(handle.db, editor, { name: "Slow dashboard", severity: "SEV-1", body: "Looking into it." });
    const { active, closed } = await listIncidentsForAdmin(handle.db);
    const row = active.find((i) => i.id === incident.id)!;
    expect(row.next_update_due_at).not.toBeNull();
    const due = updateDueText(row.next_update_due_at, new Date(row.next_update_due_at!.getTime() - 12 * 60_000))!;
    expect(due).toEqual({ text: "next update due in 12 min", overdue: false });
    expect(updateDueText(row.next_update_due_at, new Date(row.next_update_due_at!.getTime() + 4 * 60_000))).toEqual({
      text: "overdue by 4 min",
      overdue: true,
    });
    expect(updateDueText(null)).toBeNull();
    await postUpdate(handle.db, editor, { incidentId: incident.id, status: "resolved", body: "Fixed." });
    const after = await listIncidentsForAdmin(handle.db);
    expect(after.active.some((i) => i.id === incident.id)).toBe(false);
    expect(after.closed.some((i) => i.id === incident.id)).toBe(true);
    expect(closed.length).toBeGreaterThanOrEqual(0);
    expect([nextStatus("investigating"), nextStatus("identified"), nextStatus("monitoring")]).toEqual(["identified", "monitoring", "resolved"]);
  });

  it("generates the postmortem timeline from the updates, oldest first", () => {
    const md = timelineMarkdown(
      [
        { display_at: new Date("2026-01-01T10:30:00Z"), status: "resolved", body: "Fixed." },
        { display_at: new Date("2026-01-01T10:00:00Z"), status: "investigating", body: "Looking.\nMore detail." },
      ],
      (d) => d.toISOString().slice(11, 16),
    );
    expect(md).toBe("- **10:00** — investigating: Looking.\n- **10:30** — resolved: Fixed.");
  });

  it("reorders with up/down steps on one level, groups and top-level components together", async () => {
    const group = await createGroup(handle.db, systemActor, { name: "Platform" });
    const a = await createComponent(handle.db, systemActor, { name: "A", groupId: group.id });
    const b = await createComponent(handle.db, systemActor, { name: "B", groupId: group.id });
    const c = await createComponent(handle.db, systemActor, { name: "C", groupId: group.id });
    await expect(moveItem(handle.db, viewer, { kind: "component", id: c.id, direction: "up" })).rejects.toMatchObject({ code: "forbidden" });
    expect(await moveItem(handle.db, editor, { kind: "component", id: c.id, direction: "up" })).toEqual({ moved: true });
    expect(await moveItem(handle.db, editor, { kind: "component", id: a.id, direction: "up" })).toEqual({ moved: false });
    const order = (await listComponents(handle.db)).filter((x) => x.group_id === group.id).map((x) => x.name);
    expect(order).toEqual(["A", "C", "B"]);
    // The group moves among the top level.
    const before = (await listGroups(handle.db)).find((g) => g.id === group.id)!.position;
    await moveItem(handle.db, editor, { kind: "group", id: group.id, direction: "up" });
    expect((await listGroups(handle.db)).find((g) => g.id === group.id)!.position).toBeLessThan(before);
    const { entries } = await listAuditEntries(handle.db, { action: "component.move" });
    expect(entries[0].after).toMatchObject({ order: [a.id, c.id, b.id] });
  });

  it("edits, hides until degraded and archives components; archiving a group keeps its components", async () => {
    const group = await createGroup(handle.db, systemActor, { name: "Data" });
    const db1 = await createComponent(handle.db, systemActor, { name: "Database", groupId: group.id });
    const edited = await editComponent(handle.db, editor, { id: db1.id, name: "Primary database", groupId: group.id, onlyShowIfDegraded: true });
    expect(edited).toMatchObject({ name: "Primary database", only_show_if_degraded: true });
    await expect(editComponent(handle.db, editor, { id: db1.id, name: "" })).rejects.toMatchObject({ code: "invalid_input" });
    await archiveGroup(handle.db, editor, { id: group.id });
    const moved = (await listComponents(handle.db)).find((c) => c.id === db1.id)!;
    expect(moved.group_id).toBeNull();
    await archiveComponent(handle.db, editor, { id: db1.id });
    expect((await listComponents(handle.db)).some((c) => c.id === db1.id)).toBe(false);
    await expect(archiveComponent(handle.db, viewer, { id: db1.id })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("creates and edits templates, refusing unknown placeholders on save with the field named", async () => {
    const t = await createTemplate(handle.db, editor, { kind: "incident", status: "identified", name: "DNS", body: "DNS at {{components}}: {{eta}}" });
    try {
      await editTemplate(handle.db, editor, { id: t.id, kind: "incident", status: "identified", name: "DNS", body: "Dear {{customer}}" });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "invalid_input" });
      expect((error as AppError).issues[0]).toMatchObject({ field: "body" });
      expect((error as AppError).issues[0].message).toMatch(/\{\{customer\}\}/);
    }
    await expect(createTemplate(handle.db, editor, { kind: "incident", status: "identified", name: "DNS", body: "again" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createTemplate(handle.db, viewer, { kind: "incident", status: "identified", name: "V", body: "x" })).rejects.toMatchObject({ code: "forbidden" });
    const saved = await editTemplate(handle.db, editor, { id: t.id, kind: "incident", status: "identified", name: "DNS", body: "DNS: {{root_cause}}" });
    expect(saved.body).toBe("DNS: {{root_cause}}");
    await deleteTemplate(handle.db, editor, { id: t.id });
    expect((await listTemplates(handle.db)).some((x) => x.id === t.id)).toBe(false);
    const { entries } = await listAuditEntries(handle.db, { subjectId: t.id });
    expect(entries.map((e) => e.action)).toEqual(["template.delete", "template.edit", "template.create"]);
  });

  it("pages and filters the audit log", async () => {
    const all = await listAuditEntries(handle.db, { limit: 3 });
    expect(all.entries).toHaveLength(3);
    expect(all.next).not.toBeNull();
    const older = await listAuditEntries(handle.db, { limit: 3, before: all.next! });
    expect(Number(older.entries[0].id)).toBeLessThan(Number(all.entries[2].id) + 1);
    expect(older.entries.some((e) => all.entries.some((x) => x.id === e.id))).toBe(false);
    const byActor = await listAuditEntries(handle.db, { actor: "EDITOR@" });
    expect(byActor.entries.length).toBeGreaterThan(0);
    expect(byActor.entries.every((e) => e.actor === "editor@example.com")).toBe(true);
    const fromSystem = await listAuditEntries(handle.db, { source: "system" });
    expect(fromSystem.entries.every((e) => e.source === "system")).toBe(true);
    // LIKE wildcards in a filter are literal text.
    expect((await listAuditEntries(handle.db, { action: "%" })).entries).toEqual([]);
  });

  it("lists maintenance: upcoming first", async () => {
    const web = await createComponent(handle.db, systemActor, { name: "Website" });
    const soon = new Date(Date.now() + 3_600_000);
    await scheduleMaintenance(handle.db, editor, {
      name: "DB upgrade",
      body: "Upgrading.",
      components: [web.id],
      scheduledFor: soon,
      scheduledUntil: new Date(soon.getTime() + 3_600_000),
    });
    const { open } = await listMaintenanceForAdmin(handle.db);
    expect(open.map((m) => m.name)).toContain("DB upgrade");
  });

  it("reminds once, within the hour before the start, only when asked to", async () => {
    const cdn = await createComponent(handle.db, systemActor, { name: "CDN" });
    const start = new Date(Date.now() + 90 * 60_000);
    const window = { components: [cdn.id], scheduledFor: start, scheduledUntil: new Date(start.getTime() + 3_600_000) };
    const asked = await scheduleMaintenance(handle.db, editor, { name: "CDN swap", body: "Swapping.", remindPrior: true, ...window });
    const silent = await scheduleMaintenance(handle.db, editor, { name: "CDN tune", body: "Tuning.", remindPrior: false, ...window });
    expect(await remindDueMaintenance(handle.db, new Date(start.getTime() - 90 * 60_000))).toBe(0);
    const inTheHour = new Date(start.getTime() - 30 * 60_000);
    expect(await remindDueMaintenance(handle.db, inTheHour)).toBe(1);
    expect(await remindDueMaintenance(handle.db, inTheHour)).toBe(0);
    const reminded = await getIncidentForAdmin(handle.db, asked.maintenance.id);
    expect(reminded.incident.scheduled_reminded_at).not.toBeNull();
    expect(reminded.updates[0].body).toMatch(/^Reminder: this maintenance starts at /);
    expect(reminded.updates[0].notify).toBe(true);
    expect((await getIncidentForAdmin(handle.db, silent.maintenance.id)).updates).toHaveLength(1);
  });

  it("the in-process clock starts a window that has begun, by itself", async () => {
    const search = await createComponent(handle.db, systemActor, { name: "Search" });
    const { maintenance } = await scheduleMaintenance(handle.db, editor, {
      name: "Reindex",
      body: "Reindexing.",
      components: [search.id],
      scheduledFor: new Date(Date.now() + 300),
      scheduledUntil: new Date(Date.now() + 3_600_000),
    });
    const stop = startMaintenanceClock(async () => handle.db, 100);
    try {
      await expect
        .poll(async () => (await listMaintenanceForAdmin(handle.db)).open.find((m) => m.id === maintenance.id)?.status, { timeout: 10_000 })
        .toBe("in_progress");
      const status = (await listComponents(handle.db)).find((c) => c.id === search.id)?.status;
      expect(status).toBe("under_maintenance");
    } finally {
      stop();
    }
  });
});

describe("maintenance window inputs in the page's time zone", () => {
  it("reads a datetime-local value in the zone, across DST, and writes it back", async () => {
    const { zonedDateTime, localInputValue } = await import("#lib/core/forms.ts");
    expect(zonedDateTime("2026-07-01T09:30", "Europe/Berlin")?.toISOString()).toBe("2026-07-01T07:30:00.000Z");
    expect(zonedDateTime("2026-01-15T09:30", "Europe/Berlin")?.toISOString()).toBe("2026-01-15T08:30:00.000Z");
    expect(zonedDateTime("2026-03-29T03:30", "Europe/Berlin")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedDateTime("2026-11-23T14:00", "Etc/UTC")?.toISOString()).toBe("2026-11-23T14:00:00.000Z");
    expect(zonedDateTime("tomorrow", "Etc/UTC")).toBeNull();
    expect(zonedDateTime("", "Etc/UTC")).toBeNull();
    expect(localInputValue(new Date("2026-07-01T07:30:00Z"), "Europe/Berlin")).toBe("2026-07-01T09:30");
    expect(localInputValue(new Date("2026-11-23T14:00:00Z"), "America/New_York")).toBe("2026-11-23T09:00");
  });
});

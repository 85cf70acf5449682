import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { changeComponentStatus, createComponent, createGroup } from "#lib/domain/components.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { dayKey } from "#lib/core/time.ts";
import { HISTORY_PAGE_SIZE, historyPage, historyQuery } from "#lib/public/history.ts";
import { incidentPage, statusPage } from "#lib/public/status-page.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(engines)("public read model on %s", (engine) => {
  let handle: DbHandle;
  const now = new Date();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    const { db } = handle;
    const created = new Date(now.getTime() - 100 * DAY);
    const platform = await createGroup(db, systemActor, { name: "Platform" });
    ids.api = (await createComponent(db, systemActor, { name: "API", groupId: platform.id, createdAt: created })).id;
    ids.dashboard = (await createComponent(db, systemActor, { name: "Dashboard", groupId: platform.id, createdAt: created })).id;
    ids.website = (await createComponent(db, systemActor, { name: "Website", createdAt: created })).id;
    ids.hidden = (await createComponent(db, systemActor, { name: "Legacy", onlyShowIfDegraded: true, createdAt: created })).id;
    ids.noBar = (await createComponent(db, systemActor, { name: "Status emails", showcase: false, createdAt: created })).id;
    ids.group = platform.id;

    // A resolved outage of the website 3 days ago, 2 hours long, with a postmortem.
    const past = await declareIncident(db, systemActor, {
      name: "Website down",
      severity: "SEV-1",
      body: "We are **investigating**.",
      components: [{ id: ids.website, status: "major_outage" }],
      startedAt: new Date(now.getTime() - 3 * DAY),
    });
    ids.past = past.incident.id;
    await postUpdate(db, systemActor, {
      incidentId: past.incident.id,
      status: "resolved",
      body: "Fixed.",
      components: [{ id: ids.website, status: "operational" }],
      displayAt: new Date(now.getTime() - 3 * DAY + 2 * HOUR),
    });
    await publishPostmortem(db, systemActor, { incidentId: past.incident.id, body: "## Root cause\nA <script>x</script> bad deploy." });

    // The active incident: API partial outage.
    const active = await declareIncident(db, systemActor, {
      name: "API errors",
      severity: "SEV-2",
      body: "Investigating elevated errors.",
      components: [{ id: ids.api, status: "partial_outage" }],
      startedAt: new Date(now.getTime() - HOUR),
    });
    ids.active = active.incident.id;
    await postUpdate(db, systemActor, { incidentId: active.incident.id, status: "identified", body: "Found a bad **node**.", components: [] });

    const maintenance = await scheduleMaintenance(db, systemActor, {
      name: "Database upgrade",
      body: "Upgrading the database.",
      components: [ids.dashboard],
      scheduledFor: new Date(now.getTime() + DAY),
      scheduledUntil: new Date(now.getTime() + DAY + 2 * HOUR),
    });
    ids.maintenance = maintenance.maintenance.id;

    // Old incidents for pagination, all on the dashboard, 20–45 days ago.
    for (let i = 0; i < HISTORY_PAGE_SIZE + 5; i++) {
      const at = new Date(now.getTime() - (20 + i) * DAY);
      const old = await declareIncident(db, systemActor, {
        name: `Old incident ${i}`,
        severity: "SEV-3",
        body: "Slow.",
        components: [{ id: ids.dashboard, status: "degraded_performance" }],
        startedAt: at,
      });
      await postUpdate(db, systemActor, {
        incidentId: old.incident.id,
        status: "resolved",
        body: "Done.",
        components: [{ id: ids.dashboard, status: "operational" }],
        displayAt: new Date(at.getTime() + HOUR),
      });
    }
  });

  afterAll(async () => {
    await handle?.close();
  });

  it("shows the overall status, active incident and maintenance", async () => {
    const view = await statusPage(handle.db, new Date());
    expect(view.overall).toEqual({ indicator: "minor", description: "Minor Service Outage" });
    expect(view.activeIncidents.map((i) => i.id)).toEqual([ids.active]);
    const [active] = view.activeIncidents;
    expect(active.status).toBe("identified");
    expect(active.impact).toBe("major");
    expect(active.latestUpdate?.bodyHtml).toBe("<p>Found a bad <strong>node</strong>.</p>");
    expect(active.components.map((c) => c.name)).toEqual(["API"]);
    expect(active.nextUpdateDueAt).toBeInstanceOf(Date);
    expect(view.maintenanceUpcoming.map((m) => m.id)).toEqual([ids.maintenance]);
    expect(view.maintenanceInProgress).toEqual([]);
  });

  it("orders sections by position, rolls groups up to their worst child and honours display flags", async () => {
    const view = await statusPage(handle.db, new Date());
    const names = view.sections.map((s) => (s.kind === "group" ? `group:${s.name}` : s.component.name));
    expect(names).toEqual(["group:Platform", "Website", "Status emails"]);
    const group = view.sections[0];
    expect(group.kind === "group" && group.status).toBe("partial_outage");
    const emails = view.sections[2];
    expect(emails.kind === "component" && emails.component.uptime).toBeNull();

    await changeComponentStatus(handle.db, systemActor, { componentId: ids.hidden, status: "degraded_performance" });
    const degraded = await statusPage(handle.db, new Date());
    expect(degraded.sections.some((s) => s.kind === "component" && s.component.name === "Legacy")).toBe(true);
    await changeComponentStatus(handle.db, systemActor, { componentId: ids.hidden, status: "operational" });
  });

  it("computes 90 days of uptime from the recorded history", async () => {
    const view = await statusPage(handle.db, new Date());
    const website = view.sections.find((s) => s.kind === "component" && s.component.name === "Website");
    const uptime = website?.kind === "component" ? website.component.uptime : null;
    expect(uptime?.days).toHaveLength(90);
    const outage = uptime!.days.filter((d) => d.majorOutageMinutes > 0);
    expect(outage.reduce((sum, d) => sum + d.majorOutageMinutes, 0)).toBeCloseTo(120, 5);
    expect(outage.flatMap((d) => d.incidents.map((i) => i.id))).toContain(ids.past);
    expect(uptime!.ratio).toBeLessThan(1);
    expect(uptime!.ratio).toBeGreaterThan(0.99);
  });

  it("lists the last 14 days of incidents day by day", async () => {
    const view = await statusPage(handle.db, new Date());
    expect(view.pastDays).toHaveLength(14);
    const all = view.pastDays.flatMap((d) => d.incidents.map((i) => i.id));
    expect(all).toContain(ids.past);
    expect(all).toContain(ids.active);
    expect(all).not.toContain(ids.maintenance);
    expect(view.pastDays.filter((d) => d.incidents.length === 0).length).toBeGreaterThan(10);
  });

  it("returns an incident's whole timeline newest first, with component changes and the postmortem", async () => {
    const view = await incidentPage(handle.db, ids.past);
    expect(view?.incident.reference).toMatch(/^INC-\d{4}-\d{4}$/);
    expect(view?.timeline.map((u) => u.status)).toEqual(["resolved", "investigating"]);
    expect(view?.timeline[1].changes).toEqual([
      { component_id: ids.website, component_name: "Website", group_name: null, old_status: "operational", new_status: "major_outage" },
    ]);
    expect(view?.incident.postmortemHtml).toContain("<h3>Root cause</h3>");
    expect(view?.incident.postmortemHtml).not.toContain("script");
  });

  it("returns null for unknown and malformed incident ids", async () => {
    expect(await incidentPage(handle.db, "zzzzzzzzzzzz")).toBeNull();
    expect(await incidentPage(handle.db, "'; drop table incidents; --")).toBeNull();
    expect(await incidentPage(handle.db, "ABCDEFGHIJKL")).toBeNull();
  });

  it("paginates history by month and filters it by component", async () => {
    const first = await historyPage(handle.db, historyQuery.parse({}), new Date());
    const firstIds = first.months.flatMap((m) => m.incidents.map((i) => i.id));
    expect(firstIds).toHaveLength(HISTORY_PAGE_SIZE);
    expect(firstIds[0]).toBe(ids.active);
    expect(firstIds).not.toContain(ids.maintenance);
    expect(first.hasNext).toBe(true);
    for (const m of first.months) expect(m.month).toMatch(/^\d{4}-\d{2}$/);

    const second = await historyPage(handle.db, historyQuery.parse({ page: "2" }), new Date());
    const secondIds = second.months.flatMap((m) => m.incidents.map((i) => i.id));
    expect(secondIds.length).toBe(HISTORY_PAGE_SIZE + 5 + 2 - HISTORY_PAGE_SIZE);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    expect(second.hasNext).toBe(false);

    const website = await historyPage(handle.db, historyQuery.parse({ component: ids.website }), new Date());
    expect(website.component?.name).toBe("Website");
    expect(website.months.flatMap((m) => m.incidents.map((i) => i.id))).toEqual([ids.past]);
  });

  it("cuts days and months in the page's time zone", async () => {
    const page = await getPage(handle.db);
    const zone = "Pacific/Kiritimati"; // UTC+14: its calendar day differs from UTC's for 14 hours of every day
    await updatePageSettings(handle.db, systemActor, { name: page.name, url: page.url, timeZone: zone });
    try {
      const at = new Date();
      const view = await statusPage(handle.db, at);
      expect(view.page.timeZone).toBe(zone);
      expect(view.pastDays[0].day).toBe(dayKey(at, zone));
      const website = view.sections.find((s) => s.kind === "component" && s.component.name === "Website");
      const days = website?.kind === "component" ? website.component.uptime!.days : [];
      expect(days.at(-1)?.day).toBe(dayKey(at, zone));
      const past = view.pastDays.find((d) => d.incidents.some((i) => i.id === ids.past));
      const incident = past?.incidents.find((i) => i.id === ids.past);
      expect(past?.day).toBe(dayKey(incident!.startedAt, zone));
    } finally {
      await updatePageSettings(handle.db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone });
    }
  });

  it("parses bad history query values to safe defaults", () => {
    expect(historyQuery.parse({ page: "-3", component: "<script>" })).toEqual({ page: 1, component: undefined });
    expect(historyQuery.parse({ page: "abc" })).toEqual({ page: 1 });
    expect(historyQuery.parse({ page: ["2", "3"] }).page).toBe(1);
  });
});

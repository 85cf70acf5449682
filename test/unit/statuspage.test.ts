import { describe, expect, it } from "vitest";
import { ENDPOINTS, incidentPayload, type EndpointPath } from "#lib/public/statuspage-v2.ts";
import { component, group, incident, maintenance, page, snapshot } from "../support/snapshots.ts";
import { ENVELOPE_PATHS, envelopes, keyOrderProblems, singleIncidentSchema } from "../support/statuspage-schemas.ts";

function payload(path: EndpointPath, s = snapshot()) {
  // Through JSON, as a client sees it: undefined keys vanish, Dates would become strings.
  const json = JSON.parse(JSON.stringify(ENDPOINTS[path](s)));
  envelopes[path].parse(json);
  expect(keyOrderProblems(path, json)).toEqual([]);
  return json;
}

describe("Statuspage v2 serializers", () => {
  it("serves every envelope key on an empty page, with All Systems Operational", () => {
    for (const path of ENVELOPE_PATHS) payload(path);
    const summary = payload("summary.json");
    expect(summary.components).toEqual([]);
    expect(summary.incidents).toEqual([]);
    expect(summary.scheduled_maintenances).toEqual([]);
    expect(summary.status).toEqual({ indicator: "none", description: "All Systems Operational" });
  });

  it("with no components, an unresolved incident's impact raises the indicator", () => {
    const s = snapshot({ incidents: [incident({ impact: "critical" })] });
    expect(payload("status.json", s).status).toEqual({ indicator: "critical", description: "Major System Outage" });
  });

  it("with components, components alone decide the indicator", () => {
    const s = snapshot({ components: [component()], incidents: [incident({ impact: "major" })] });
    expect(payload("status.json", s).status.indicator).toBe("none");
  });

  it("lists a page of only groups as group rows carrying empty `components`", () => {
    const s = snapshot({ groups: [group({ name: "Empty", position: 1 }), group({ name: "Also empty", position: 2 })] });
    const { components } = payload("components.json", s);
    expect(components.map((c: { name: string }) => c.name)).toEqual(["Empty", "Also empty"]);
    for (const row of components) {
      expect(row).toMatchObject({ group: true, components: [], status: "operational", group_id: null, showcase: false });
    }
  });

  it("interleaves groups and children in page order, positions per level, group status the worst child's", () => {
    const platform = group({ name: "Platform", position: 2 });
    const website = component({ name: "Website", position: 1 });
    const api = component({ name: "API", group_id: platform.id, position: 1, status: "degraded_performance" });
    const hooks = component({ name: "Webhooks", group_id: platform.id, position: 2, status: "under_maintenance" });
    const search = component({ name: "Search", position: 3 });
    const s = snapshot({ groups: [platform], components: [hooks, search, api, website] });
    const rows = payload("components.json", s).components;
    expect(rows.map((c: { name: string }) => c.name)).toEqual(["Website", "Platform", "API", "Webhooks", "Search"]);
    expect(rows[1]).toMatchObject({ group: true, status: "under_maintenance", components: [api.id, hooks.id] });
    expect(rows[2]).toMatchObject({ group_id: platform.id, position: 1 });
    expect(Object.hasOwn(rows[2], "components")).toBe(false);
    // Groups are not counted in the page rollup; two of four components degraded or in maintenance.
    expect(payload("status.json", s).status).toEqual({ indicator: "minor", description: "Partially Degraded Service" });
  });

  it("renders timestamps in the page's zone with the DST offset valid at each instant", () => {
    const s = snapshot({
      page: page({ time_zone: "America/Los_Angeles", updated_at: new Date("2025-07-01T12:00:00.5Z") }),
      components: [component({ created_at: new Date("2025-01-15T20:00:00.123Z") })],
    });
    const { page: p, components } = payload("components.json", s);
    expect(p.time_zone).toBe("America/Los_Angeles");
    expect(p.updated_at).toBe("2025-07-01T05:00:00.500-07:00");
    expect(components[0].created_at).toBe("2025-01-15T12:00:00.123-08:00");
  });

  it("uses Z for a UTC page", () => {
    const s = snapshot({ components: [component({ created_at: new Date("2025-01-15T20:00:00Z") })] });
    expect(payload("components.json", s).components[0].created_at).toBe("2025-01-15T20:00:00.000Z");
  });

  it("serializes an incident without components: empty components, null affected_components", () => {
    const s = snapshot({ incidents: [incident({ steps: [["investigating", "2025-03-01T10:00:00Z"], ["investigating", "2025-03-01T10:20:00Z"]] })] });
    const [i] = payload("incidents/unresolved.json", s).incidents;
    expect(i.components).toEqual([]);
    expect(i.incident_updates.map((u: { affected_components: unknown }) => u.affected_components)).toEqual([null, null]);
    expect(i.reminder_intervals).toBeNull();
    expect(i.shortlink).toBe(`https://status.acme.test/incidents/${i.id}`);
  });

  it("lists affected components with code, name, old and new status, and the incident's full component objects", () => {
    const api = component({ name: "API", status: "partial_outage" });
    const t = incident({
      componentIds: [api.id],
      steps: [["investigating", "2025-03-01T10:00:00Z", "Looking.", [{ component_id: api.id, component_name: "API", group_name: null, old_status: "operational", new_status: "partial_outage" }]]],
    });
    const [i] = payload("incidents.json", snapshot({ components: [api], incidents: [t] })).incidents;
    expect(i.incident_updates[0].affected_components).toEqual([{ code: api.id, name: "API", old_status: "operational", new_status: "partial_outage" }]);
    expect(i.components.map((c: { id: string }) => c.id)).toEqual([api.id]);
  });

  it("keeps a backfilled update in display order, newest first", () => {
    const t = incident({
      steps: [
        ["investigating", "2025-03-01T10:00:00Z"],
        ["identified", "2025-03-01T10:30:00Z"],
      ],
    });
    // Posted last, displayed between the two.
    t.updates.splice(1, 0, { ...t.updates[0], id: "backfill0001", status: "investigating", display_at: new Date("2025-03-01T10:10:00Z") });
    const [i] = payload("incidents.json", snapshot({ incidents: [t] })).incidents;
    expect(i.incident_updates.map((u: { display_at: string }) => u.display_at)).toEqual([
      "2025-03-01T10:30:00.000Z",
      "2025-03-01T10:10:00.000Z",
      "2025-03-01T10:00:00.000Z",
    ]);
  });

  it("puts upcoming and in-progress maintenance in summary, split by upcoming.json and active.json", () => {
    const upcoming = maintenance({ name: "Upcoming" });
    const active = maintenance({ name: "Active", steps: [["scheduled", "2025-03-01T09:00:00Z"], ["in_progress", "2025-03-10T01:00:00Z"]] });
    const done = maintenance({ name: "Done", steps: [["scheduled", "2025-02-01T09:00:00Z"], ["completed", "2025-02-10T03:00:00Z"]] });
    const s = snapshot({ maintenances: [upcoming, active, done] });
    const names = (path: EndpointPath) => payload(path, s).scheduled_maintenances.map((m: { name: string }) => m.name);
    expect(names("summary.json")).toEqual(["Upcoming", "Active"]);
    expect(names("scheduled-maintenances/upcoming.json")).toEqual(["Upcoming"]);
    expect(names("scheduled-maintenances/active.json")).toEqual(["Active"]);
    expect(names("scheduled-maintenances.json")).toEqual(["Upcoming", "Active", "Done"]);
    const m = payload("scheduled-maintenances/active.json", s).scheduled_maintenances[0];
    expect(m.scheduled_for).toBe("2025-03-10T01:00:00.000Z");
    expect(m.impact).toBe("maintenance");
  });

  it("caps incident lists at 50", () => {
    const many = Array.from({ length: 55 }, (_, n) =>
      incident({ steps: [["resolved", new Date(Date.UTC(2025, 0, 1) + n * 3_600_000).toISOString()]] }),
    );
    expect(payload("incidents.json", snapshot({ incidents: many })).incidents).toHaveLength(50);
  });

  it("adds the postmortem to incidents/<id>.json", () => {
    const t = incident({
      status: "postmortem",
      postmortem_body: "What happened.",
      postmortem_published_at: new Date("2025-03-02T00:00:00Z"),
      steps: [["investigating", "2025-03-01T10:00:00Z"], ["resolved", "2025-03-01T11:00:00Z"]],
    });
    const json = JSON.parse(JSON.stringify(incidentPayload(snapshot(), t)));
    const parsed = singleIncidentSchema.parse(json);
    expect(parsed.incident.postmortem_body).toBe("What happened.");
    expect(Object.keys(json)).toEqual(["page", "incident"]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ComponentStatus } from "#db/schema.ts";
import {
  ACTIVE_MAINTENANCE_STATUSES,
  CLOSED_INCIDENT_STATUSES,
  CLOSED_MAINTENANCE_STATUSES,
  INCIDENT_STATUSES,
  isOpenStatus,
  MAINTENANCE_STATUSES,
  OPEN_INCIDENT_STATUSES,
  OPEN_MAINTENANCE_STATUSES,
  overallStatus,
  UPCOMING_MAINTENANCE_STATUSES,
  worstComponentStatus,
} from "#lib/core/statuses.ts";

describe("status sets", () => {
  it("open and closed split each kind's statuses, in order", () => {
    expect([...OPEN_INCIDENT_STATUSES, ...CLOSED_INCIDENT_STATUSES]).toEqual(["investigating", "identified", "monitoring", "resolved", "postmortem"]);
    expect(INCIDENT_STATUSES).toEqual([...OPEN_INCIDENT_STATUSES, ...CLOSED_INCIDENT_STATUSES]);
    expect([...UPCOMING_MAINTENANCE_STATUSES, ...ACTIVE_MAINTENANCE_STATUSES]).toEqual(OPEN_MAINTENANCE_STATUSES);
    expect(MAINTENANCE_STATUSES).toEqual(["scheduled", "in_progress", "verifying", "completed"]);
    expect(MAINTENANCE_STATUSES).toEqual([...OPEN_MAINTENANCE_STATUSES, ...CLOSED_MAINTENANCE_STATUSES]);
    for (const status of [...OPEN_INCIDENT_STATUSES, ...OPEN_MAINTENANCE_STATUSES]) expect(isOpenStatus(status), status).toBe(true);
    for (const status of [...CLOSED_INCIDENT_STATUSES, ...CLOSED_MAINTENANCE_STATUSES]) expect(isOpenStatus(status), status).toBe(false);
  });

  it("the database's index of unresolved incidents covers exactly the open statuses", () => {
    const migration = readFileSync(join(import.meta.dirname, "../../db/migrations/0001_foundation.ts"), "utf8");
    const indexed = /create index incidents_unresolved[^`]*where status in \(([^)]*)\)/.exec(migration)?.[1];
    expect(indexed?.split(",").map((s) => s.trim().replace(/'/g, ""))).toEqual([...OPEN_INCIDENT_STATUSES, ...OPEN_MAINTENANCE_STATUSES]);
  });
});

describe("overallStatus (docs/machine-endpoints.md, Overall status)", () => {
  it("0 components: operational unless an incident is unresolved", () => {
    expect(overallStatus([])).toEqual({ indicator: "none", description: "All Systems Operational" });
    expect(overallStatus([], ["minor"])).toEqual({ indicator: "minor", description: "Minor Service Outage" });
    expect(overallStatus([], ["major", "minor"])).toEqual({ indicator: "major", description: "Partial System Outage" });
    expect(overallStatus([], ["critical"])).toEqual({ indicator: "critical", description: "Major System Outage" });
  });

  it.each<[ComponentStatus, string, string]>([
    ["operational", "none", "All Systems Operational"],
    ["under_maintenance", "maintenance", "Service Under Maintenance"],
    ["degraded_performance", "minor", "Partially Degraded Service"],
    ["partial_outage", "major", "Partial System Outage"],
    ["major_outage", "critical", "Major System Outage"],
  ])("1 component %s → %s / %s", (status, indicator, description) => {
    expect(overallStatus([status])).toEqual({ indicator, description });
  });

  it.each<[ComponentStatus[], string, string]>([
    [["major_outage", "major_outage"], "critical", "Major System Outage"],
    [["major_outage", "operational"], "major", "Partial System Outage"],
    [["major_outage", "partial_outage", "operational"], "major", "Partial System Outage"],
    [["partial_outage", "partial_outage"], "major", "Partial System Outage"],
    [["partial_outage", "operational"], "minor", "Minor Service Outage"],
    [["partial_outage", "degraded_performance"], "minor", "Minor Service Outage"],
    [["degraded_performance", "degraded_performance"], "minor", "Degraded System Service"],
    [["degraded_performance", "operational"], "minor", "Partially Degraded Service"],
    [["degraded_performance", "under_maintenance"], "minor", "Partially Degraded Service"],
    [["under_maintenance", "operational"], "maintenance", "Service Under Maintenance"],
    [["operational", "operational"], "none", "All Systems Operational"],
  ])("2+ components %j → %s / %s", (statuses, indicator, description) => {
    expect(overallStatus(statuses)).toEqual({ indicator, description });
  });

  it("with components, unresolved incidents do not raise the indicator", () => {
    expect(overallStatus(["operational", "operational"], ["critical"]).indicator).toBe("none");
  });
});

describe("worstComponentStatus (group rollup)", () => {
  it("takes the worst child, maintenance second worst", () => {
    expect(worstComponentStatus([])).toBe("operational");
    expect(worstComponentStatus(["operational", "degraded_performance"])).toBe("degraded_performance");
    expect(worstComponentStatus(["partial_outage", "under_maintenance"])).toBe("under_maintenance");
    expect(worstComponentStatus(["under_maintenance", "major_outage"])).toBe("major_outage");
  });
});

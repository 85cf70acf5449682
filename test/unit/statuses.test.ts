import { describe, expect, it } from "vitest";
import type { ComponentStatus } from "#db/schema.ts";
import { overallStatus, worstComponentStatus } from "#lib/core/statuses.ts";

describe("overallStatus (statuspage-api.md §10)", () => {
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

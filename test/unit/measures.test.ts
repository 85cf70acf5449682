import { describe, expect, it } from "vitest";
import { measurePeriod, monthPeriod, percentile, previousPeriod, type MeasureInput } from "#lib/core/measures.ts";
import { checkTargets, DEFAULT_TARGETS, milestones, tallyPromises, type IncidentFacts } from "#lib/core/milestones.ts";

/*
 * Every figure here is computed by hand from the constructed timeline; the
 * comments show the arithmetic (formulas: docs/measures.md).
 */
const d = (iso: string) => new Date(iso);
const utc = "Etc/UTC";
const berlin = "Europe/Berlin";

function incident(overrides: Partial<IncidentFacts> & Pick<IncidentFacts, "id" | "startedAt">): IncidentFacts {
  return {
    reference: `INC-2026-${overrides.id}`,
    name: `Incident ${overrides.id}`,
    severity: "SEV-2",
    impact: "major",
    detectedAt: null,
    acknowledgedAt: null,
    declaredAt: overrides.startedAt,
    firstUpdateAt: overrides.startedAt,
    identifiedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    postmortemPublishedAt: null,
    backfilled: false,
    componentIds: ["api"],
    updates: [],
    ...overrides,
  };
}

function input(overrides: Partial<MeasureInput>): MeasureInput {
  return {
    period: monthPeriod("2026-03"),
    zone: utc,
    now: d("2026-04-15T00:00:00Z"),
    incidents: [],
    maintenance: [],
    components: [],
    targets: DEFAULT_TARGETS,
    ...overrides,
  };
}

// SEV-1 on the API: detected 10:05, acknowledged 10:08, declared 10:10, first update 10:12, mitigated 10:50, resolved 11:05.
const a = incident({
  id: "a",
  severity: "SEV-1",
  impact: "critical",
  startedAt: d("2026-03-10T10:00:00Z"),
  detectedAt: d("2026-03-10T10:05:00Z"),
  acknowledgedAt: d("2026-03-10T10:08:00Z"),
  declaredAt: d("2026-03-10T10:10:00Z"),
  firstUpdateAt: d("2026-03-10T10:12:00Z"),
  identifiedAt: d("2026-03-10T10:30:00Z"),
  mitigatedAt: d("2026-03-10T10:50:00Z"),
  resolvedAt: d("2026-03-10T11:05:00Z"),
  postmortemPublishedAt: d("2026-03-11T09:00:00Z"),
  updates: [
    { writtenAt: d("2026-03-10T10:12:00Z"), nextDueAt: d("2026-03-10T10:27:00Z") },
    { writtenAt: d("2026-03-10T10:25:00Z"), nextDueAt: d("2026-03-10T10:40:00Z") },
    { writtenAt: d("2026-03-10T10:50:00Z"), nextDueAt: d("2026-03-10T11:05:00Z") },
    { writtenAt: d("2026-03-10T11:05:00Z"), nextDueAt: null },
  ],
});
// SEV-3 on the API ten days later, declared an hour after it began, resolved without monitoring, no postmortem yet.
const b = incident({
  id: "b",
  severity: "SEV-3",
  impact: "minor",
  startedAt: d("2026-03-20T00:00:00Z"),
  declaredAt: d("2026-03-20T01:00:00Z"),
  firstUpdateAt: d("2026-03-20T01:00:00Z"),
  resolvedAt: d("2026-03-20T05:00:00Z"),
});
const api = {
  id: "api",
  name: "API",
  startDate: null,
  createdAt: d("2026-01-01T00:00:00Z"),
  changes: [
    { status: "major_outage" as const, at: d("2026-03-10T10:00:00Z") },
    { status: "operational" as const, at: d("2026-03-10T10:50:00Z") },
    { status: "partial_outage" as const, at: d("2026-03-20T00:00:00Z") },
    { status: "operational" as const, at: d("2026-03-20T05:00:00Z") },
  ],
};

describe("percentile", () => {
  it("interpolates between closest ranks", () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([3, 0], 0.5)).toBe(1.5);
    expect(percentile([1, 2, 3, 4, 100], 0.9)).toBeCloseTo(61.6); // rank 3.6: 4 + 0.6 × 96
  });
});

describe("measurePeriod on a month in UTC", () => {
  const figures = measurePeriod(
    input({
      incidents: [a, b],
      components: [api],
      maintenance: [
        { id: "m1", componentIds: ["api"], from: d("2026-03-05T02:00:00Z"), to: d("2026-03-05T04:00:00Z") },
        // Begun in February: only its March hour counts.
        { id: "m2", componentIds: ["api"], from: d("2026-02-28T23:00:00Z"), to: d("2026-03-01T01:00:00Z") },
      ],
    }),
  );

  it("counts incidents by severity and impact; maintenance is no incident", () => {
    expect(figures.incidents).toEqual({
      total: 2,
      open: 0,
      backfilled: 0,
      bySeverity: { "SEV-1": 1, "SEV-2": 0, "SEV-3": 1, "SEV-4": 0 },
      byImpact: { none: 0, minor: 1, major: 0, critical: 1 },
    });
    expect(figures.maintenanceMinutes).toBe(180); // 120 + 60
  });

  it("measures each time-to from detection (detection defaults to the declaration)", () => {
    // a: ack 3, first update 7, mitigate 45, resolve 60; b (detected = declared 01:00): 0, 0, 240, 240.
    expect(figures.durations.acknowledge).toMatchObject({ count: 2, median: 1.5, p90: 2.7 });
    expect(figures.durations.firstUpdate).toMatchObject({ count: 2, median: 3.5, p90: 6.3 });
    expect(figures.durations.mitigate).toMatchObject({ count: 2, median: 142.5, p90: 220.5 });
    expect(figures.durations.resolve).toMatchObject({ count: 2, median: 150, p90: 222 });
    expect(figures.durations.acknowledge.bySeverity["SEV-1"]).toMatchObject({ count: 1, median: 3, target: 5, withinTarget: 1 });
    expect(figures.durations.resolve.bySeverity["SEV-3"]).toMatchObject({ count: 1, median: 240, target: 1440, withinTarget: 1 });
    expect(figures.durations.resolve.bySeverity["SEV-2"]).toMatchObject({ count: 0, median: null, withinTarget: null });
  });

  it("weighs customer impact hours by impact and finds MTBF, availability, the longest incident", () => {
    // a: 50 min critical × 1; b: 5 h minor × 0.25.
    expect(figures.customerImpactHours).toBeCloseTo(50 / 60 + 1.25, 10);
    // 744 h in March, minus 65 min + 300 min out, over 2 incidents.
    expect(figures.mtbfHours).toBeCloseTo((744 - 365 / 60) / 2, 10);
    // 50 major minutes + 0.3 × 300 partial minutes over 31 × 1440 counted.
    expect(figures.availability).toBeCloseTo(1 - 140 / 44640, 12);
    expect(figures.longest).toEqual({ id: "b", reference: "INC-2026-b", name: "Incident b", minutes: 300, open: false });
  });

  it("tallies promises, postmortems and repeats", () => {
    // 10:27 kept by 10:25; 10:40 missed (next update 10:50); 11:05 kept by the 11:05 resolution.
    expect(figures.promises).toEqual({ kept: 2, missed: 1, keptShare: 2 / 3 });
    // a published 21 h 55 min after resolving (≤ 24 h); b (SEV-3, 5 days) not yet.
    expect(figures.postmortems).toEqual({ due: 2, onTime: 1, late: 0, outstanding: 1 });
    // b began on the API 10 days after a.
    expect(figures.repeats).toEqual({ count: 1, share: 0.5 });
  });

  it("narrows to one component", () => {
    const web = measurePeriod(input({ incidents: [a, b], components: [api, { ...api, id: "web", changes: [] }], componentId: "web" }));
    expect(web.incidents.total).toBe(0);
    expect(web.availability).toBe(1);
    const both = measurePeriod(input({ incidents: [a, b], components: [api, { ...api, id: "web", changes: [] }] }));
    expect(both.availability).toBeCloseTo(1 - 140 / (2 * 44640), 12);
  });
});

describe("measurePeriod edge cases", () => {
  it("leaves a backfilled incident out of response times and promises, not out of resolution", () => {
    const late = incident({
      id: "late",
      startedAt: d("2026-03-02T08:00:00Z"),
      declaredAt: d("2026-03-02T08:00:00Z"),
      // Written up two days later.
      firstUpdateAt: d("2026-03-04T09:00:00Z"),
      resolvedAt: d("2026-03-02T09:30:00Z"),
      backfilled: true,
      updates: [{ writtenAt: d("2026-03-04T09:00:00Z"), nextDueAt: d("2026-03-04T09:30:00Z") }],
    });
    const figures = measurePeriod(input({ incidents: [late] }));
    expect(figures.incidents.backfilled).toBe(1);
    expect(figures.durations.acknowledge.count).toBe(0);
    expect(figures.durations.firstUpdate.count).toBe(0);
    expect(figures.durations.resolve).toMatchObject({ count: 1, median: 90 });
    expect(figures.promises).toEqual({ kept: 0, missed: 0, keptShare: null });
  });

  it("counts an incident under the severity it has now (raised mid-incident) and judges it by that target", () => {
    // Declared SEV-3 and raised to SEV-1: acknowledged after 10 min, within SEV-3's hour, not SEV-1's 5 minutes.
    const raised = incident({ id: "raised", severity: "SEV-1", impact: "critical", startedAt: d("2026-03-03T12:00:00Z"), acknowledgedAt: d("2026-03-03T12:10:00Z"), declaredAt: d("2026-03-03T12:10:00Z"), detectedAt: d("2026-03-03T12:00:00Z") });
    const figures = measurePeriod(input({ incidents: [raised] }));
    expect(figures.incidents.bySeverity).toEqual({ "SEV-1": 1, "SEV-2": 0, "SEV-3": 0, "SEV-4": 0 });
    expect(figures.durations.acknowledge.bySeverity["SEV-1"]).toMatchObject({ median: 10, withinTarget: 0 });
  });

  it("measures a reopened incident to its last resolution, mitigated at its first monitoring", () => {
    // Monitoring 10:30, resolved 11:00, reopened 11:20, resolved again 13:00 (the domain keeps the last resolution).
    const reopened = incident({
      id: "reopened",
      startedAt: d("2026-03-06T10:00:00Z"),
      mitigatedAt: d("2026-03-06T10:30:00Z"),
      resolvedAt: d("2026-03-06T13:00:00Z"),
    });
    const figures = measurePeriod(input({ incidents: [reopened] }));
    expect(figures.durations.mitigate.median).toBe(30);
    expect(figures.durations.resolve.median).toBe(180);
    expect(figures.longest?.minutes).toBe(180);
    expect(figures.mtbfHours).toBeCloseTo(744 - 3, 10);
  });

  it("counts overlapping incidents' impact each, and their downtime once for MTBF", () => {
    const one = incident({ id: "one", impact: "critical", severity: "SEV-1", startedAt: d("2026-03-07T10:00:00Z"), resolvedAt: d("2026-03-07T12:00:00Z"), componentIds: ["api"] });
    const two = incident({ id: "two", impact: "major", startedAt: d("2026-03-07T11:00:00Z"), resolvedAt: d("2026-03-07T13:00:00Z"), componentIds: ["web"] });
    const figures = measurePeriod(input({ incidents: [one, two] }));
    expect(figures.customerImpactHours).toBeCloseTo(2 * 1 + 2 * 0.5, 10);
    // 10:00–13:00 out once: (744 − 3) / 2.
    expect(figures.mtbfHours).toBeCloseTo((744 - 3) / 2, 10);
    expect(figures.repeats.count).toBe(0);
  });

  it("cuts months at midnight in the page's zone across a DST change", () => {
    // March 2026 in Berlin: 2026-02-28T23:00Z to 2026-03-31T22:00Z, 743 hours (clocks skip an hour on the 29th).
    const firstMinute = incident({ id: "first", startedAt: d("2026-02-28T23:30:00Z"), resolvedAt: d("2026-03-01T00:30:00Z") });
    const april = incident({ id: "april", startedAt: d("2026-03-31T22:30:00Z"), resolvedAt: d("2026-03-31T23:00:00Z") });
    const web = { id: "web", name: "Web", startDate: null, createdAt: d("2026-01-01T00:00:00Z"), changes: [{ status: "major_outage" as const, at: d("2026-03-29T00:30:00Z") }, { status: "operational" as const, at: d("2026-03-29T01:30:00Z") }] };
    const figures = measurePeriod(input({ zone: berlin, incidents: [firstMinute, april], components: [web] }));
    expect(figures.from).toEqual(d("2026-02-28T23:00:00Z"));
    expect(figures.to).toEqual(d("2026-03-31T22:00:00Z"));
    expect(figures.incidents.total).toBe(1);
    expect(figures.mtbfHours).toBeCloseTo(743 - 1, 10);
    expect(figures.availability).toBeCloseTo(1 - 60 / (743 * 60), 12);
  });

  it("gives an empty month zeros and no medians", () => {
    const figures = measurePeriod(input({ period: monthPeriod("2026-02"), components: [api] }));
    expect(figures.incidents.total).toBe(0);
    expect(figures.durations.resolve).toMatchObject({ count: 0, median: null, p90: null });
    expect(figures.mtbfHours).toBeNull();
    expect(figures.customerImpactHours).toBe(0);
    expect(figures.availability).toBe(1);
    expect(figures.longest).toBeNull();
    expect(figures.promises.keptShare).toBeNull();
    expect(figures.repeats).toEqual({ count: 0, share: null });
    expect(measurePeriod(input({ period: monthPeriod("2026-02") })).availability).toBeNull();
  });

  it("measures the current month up to now, an open incident to now", () => {
    const open = incident({ id: "open", impact: "critical", severity: "SEV-1", startedAt: d("2026-03-10T00:00:00Z") });
    const figures = measurePeriod(input({ incidents: [open], now: d("2026-03-11T00:00:00Z") }));
    expect(figures.incidents.open).toBe(1);
    expect(figures.customerImpactHours).toBe(24);
    expect(figures.longest).toMatchObject({ minutes: 1440, open: true });
    // 10 days lived, all 10 … 11 March out: (240 − 24) / 1.
    expect(figures.mtbfHours).toBe(240 - 24 + 0);
  });
});

describe("periods", () => {
  it("steps back a month, or as many days", () => {
    expect(monthPeriod("2026-12")).toEqual({ firstDay: "2026-12-01", endDay: "2027-01-01" });
    expect(previousPeriod(monthPeriod("2026-01"))).toEqual({ firstDay: "2025-12-01", endDay: "2026-01-01" });
    expect(previousPeriod(monthPeriod("2026-03"))).toEqual({ firstDay: "2026-02-01", endDay: "2026-03-01" });
    expect(previousPeriod({ firstDay: "2026-03-05", endDay: "2026-03-15" })).toEqual({ firstDay: "2026-02-23", endDay: "2026-03-05" });
  });
});

describe("milestones and targets", () => {
  it("takes the declaration for detection and acknowledgement when not given", () => {
    const m = milestones(b);
    expect(m.detected).toEqual(d("2026-03-20T01:00:00Z"));
    expect(m.acknowledged).toEqual(d("2026-03-20T01:00:00Z"));
    expect(m.mitigated).toEqual(b.resolvedAt);
    // An acknowledgement given before the declaration moves the default detection with it.
    expect(milestones({ ...b, acknowledgedAt: d("2026-03-20T00:40:00Z") }).detected).toEqual(d("2026-03-20T00:40:00Z"));
  });

  it("shows open targets as pending, due soon in their last quarter, then missed; a closed one's scorecard", () => {
    const open = incident({ id: "o", severity: "SEV-1", impact: "critical", startedAt: d("2026-03-10T10:00:00Z"), declaredAt: d("2026-03-10T10:03:00Z"), firstUpdateAt: d("2026-03-10T10:03:00Z") });
    const at = (iso: string) => Object.fromEntries(checkTargets(open, DEFAULT_TARGETS["SEV-1"], d(iso)).map((c) => [c.kind, c.state]));
    expect(at("2026-03-10T10:30:00Z")).toEqual({ acknowledge: "met", firstUpdate: "met", resolve: "pending", postmortem: "pending" });
    expect(at("2026-03-10T10:50:00Z")).toMatchObject({ resolve: "due_soon" }); // 13 of 60 minutes left
    expect(at("2026-03-10T11:04:00Z")).toMatchObject({ resolve: "missed" });
    const card = checkTargets(a, DEFAULT_TARGETS["SEV-1"], d("2026-04-01T00:00:00Z"));
    expect(card.map((c) => [c.kind, c.state, c.took])).toEqual([
      ["acknowledge", "met", 3],
      ["firstUpdate", "met", 7],
      ["resolve", "met", 60],
      ["postmortem", "met", 1315],
    ]);
  });

  it("counts a running promise neither way", () => {
    const running = incident({ id: "r", startedAt: d("2026-03-10T10:00:00Z"), updates: [{ writtenAt: d("2026-03-10T10:00:00Z"), nextDueAt: d("2026-03-10T10:30:00Z") }] });
    expect(tallyPromises(running, d("2026-03-10T10:20:00Z"))).toEqual({ kept: 0, missed: 0 });
    expect(tallyPromises(running, d("2026-03-10T10:31:00Z"))).toEqual({ kept: 0, missed: 1 });
  });
});

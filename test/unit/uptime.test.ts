import { describe, expect, it } from "vitest";
import { computeUptime, formatUptime, PARTIAL_OUTAGE_WEIGHT, uptimeCalendar, type UptimeInput } from "#lib/core/uptime.ts";

const utc = "Etc/UTC";
const d = (iso: string) => new Date(iso);

describe("computeUptime", () => {
  it("counts a major outage fully and a partial outage at 30%", () => {
    const result = computeUptime({
      changes: [
        { status: "operational", at: d("2026-01-01T00:00:00Z") },
        { status: "major_outage", at: d("2026-01-02T10:00:00Z") },
        { status: "partial_outage", at: d("2026-01-02T11:00:00Z") },
        { status: "operational", at: d("2026-01-02T13:00:00Z") },
      ],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      now: d("2026-01-02T23:00:00Z"),
      zone: utc,
      days: 2,
    });
    expect(result.days.map((x) => x.day)).toEqual(["2026-01-01", "2026-01-02"]);
    const [first, second] = result.days;
    expect(first.worst).toBe("operational");
    expect(second.worst).toBe("major_outage");
    expect(second.majorOutageMinutes).toBe(60);
    expect(second.partialOutageMinutes).toBe(120);
    const down = 60 + PARTIAL_OUTAGE_WEIGHT * 120;
    expect(result.ratio).toBeCloseTo(1 - down / (1440 + 1380), 10);
  });

  it("splits an outage crossing midnight between the two days", () => {
    const result = computeUptime({
      changes: [
        { status: "operational", at: d("2025-12-01T00:00:00Z") },
        { status: "major_outage", at: d("2026-01-01T23:30:00Z") },
        { status: "operational", at: d("2026-01-02T00:45:00Z") },
      ],
      startDate: null,
      createdAt: d("2025-12-01T00:00:00Z"),
      now: d("2026-01-02T12:00:00Z"),
      zone: utc,
      days: 2,
    });
    expect(result.days[0].majorOutageMinutes).toBe(30);
    expect(result.days[1].majorOutageMinutes).toBe(45);
    expect(result.days[1].worst).toBe("major_outage");
    // Today is counted up to now only: 1440 + 720 minutes.
    expect(result.days[1].countedMinutes).toBe(720);
    expect(result.ratio).toBeCloseTo(1 - 75 / 2160, 10);
  });

  it("uses the page's zone for day boundaries, with 23 and 25 hour DST days", () => {
    const zone = "America/New_York";
    const spring = computeUptime({
      changes: [{ status: "operational", at: d("2026-01-01T00:00:00Z") }],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      // 2026-03-08 is the spring-forward day in New York.
      now: d("2026-03-09T12:00:00Z"),
      zone,
      days: 2,
    });
    expect(spring.days[0].day).toBe("2026-03-08");
    expect(spring.days[0].countedMinutes).toBe(23 * 60);

    const fall = computeUptime({
      changes: [
        { status: "operational", at: d("2026-01-01T00:00:00Z") },
        // 23:30 local on Oct 31 (EDT, UTC-4) until 00:30 local on Nov 1.
        { status: "major_outage", at: d("2026-11-01T03:30:00Z") },
        { status: "operational", at: d("2026-11-01T04:30:00Z") },
      ],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      // 2026-11-01 is the fall-back day.
      now: d("2026-11-02T12:00:00Z"),
      zone,
      days: 3,
    });
    expect(fall.days.map((x) => x.day)).toEqual(["2026-10-31", "2026-11-01", "2026-11-02"]);
    expect(fall.days[0].majorOutageMinutes).toBe(30);
    expect(fall.days[1].majorOutageMinutes).toBe(30);
    expect(fall.days[1].countedMinutes).toBe(25 * 60);
  });

  it("does not count days before start_date", () => {
    const result = computeUptime({
      changes: [{ status: "major_outage", at: d("2025-06-01T00:00:00Z") }],
      startDate: "2026-01-02",
      createdAt: d("2025-06-01T00:00:00Z"),
      now: d("2026-01-02T12:00:00Z"),
      zone: utc,
      days: 3,
    });
    expect(result.days[0]).toMatchObject({ day: "2025-12-31", worst: null, countedMinutes: 0 });
    expect(result.days[1]).toMatchObject({ day: "2026-01-01", worst: null, countedMinutes: 0 });
    expect(result.days[2]).toMatchObject({ day: "2026-01-02", worst: "major_outage", countedMinutes: 720 });
    expect(result.ratio).toBe(0);
  });

  it("starts counting at creation when there is no start_date, and has no data before", () => {
    const result = computeUptime({
      changes: [{ status: "operational", at: d("2026-01-02T12:00:00Z") }],
      startDate: null,
      createdAt: d("2026-01-02T12:00:00Z"),
      now: d("2026-01-02T18:00:00Z"),
      zone: utc,
      days: 2,
    });
    expect(result.days[0].worst).toBeNull();
    expect(result.days[1].countedMinutes).toBe(360);
    expect(result.ratio).toBe(1);
  });

  it("treats degraded performance and maintenance as up", () => {
    const result = computeUptime({
      changes: [
        { status: "degraded_performance", at: d("2026-01-01T00:00:00Z") },
        { status: "under_maintenance", at: d("2026-01-01T12:00:00Z") },
      ],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      now: d("2026-01-01T23:00:00Z"),
      zone: utc,
      days: 1,
    });
    expect(result.ratio).toBe(1);
    expect(result.days[0].worst).toBe("under_maintenance");
  });

  it("lists overlapping incidents on every day they touch", () => {
    const result = computeUptime({
      changes: [{ status: "operational", at: d("2026-01-01T00:00:00Z") }],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      now: d("2026-01-03T12:00:00Z"),
      zone: utc,
      days: 3,
      incidents: [
        { id: "a", name: "Long", impact: "major", from: d("2026-01-01T22:00:00Z"), to: d("2026-01-02T02:00:00Z") },
        { id: "b", name: "Overlap", impact: "minor", from: d("2026-01-02T01:00:00Z"), to: d("2026-01-02T03:00:00Z") },
        { id: "c", name: "Open", impact: "critical", from: d("2026-01-03T10:00:00Z"), to: null },
      ],
    });
    expect(result.days[0].incidents.map((i) => i.id)).toEqual(["a"]);
    expect(result.days[1].incidents.map((i) => i.id)).toEqual(["a", "b"]);
    expect(result.days[2].incidents.map((i) => i.id)).toEqual(["c"]);
  });

  it("does not double count overlapping outages recorded as status changes", () => {
    // Two incidents moving the same component: the history is one timeline, so minutes are counted once.
    const result = computeUptime({
      changes: [
        { status: "operational", at: d("2026-01-01T00:00:00Z") },
        { status: "partial_outage", at: d("2026-01-01T01:00:00Z") },
        { status: "major_outage", at: d("2026-01-01T02:00:00Z") },
        { status: "partial_outage", at: d("2026-01-01T03:00:00Z") },
        { status: "operational", at: d("2026-01-01T04:00:00Z") },
      ],
      startDate: null,
      createdAt: d("2026-01-01T00:00:00Z"),
      now: d("2026-01-01T23:00:00Z"),
      zone: utc,
      days: 1,
    });
    expect(result.days[0].majorOutageMinutes).toBe(60);
    expect(result.days[0].partialOutageMinutes).toBe(120);
  });

  // Across New York's spring-forward day, with changes inside days and exactly at midnight.
  const busy: UptimeInput = {
    changes: [
      { status: "operational", at: d("2026-02-20T00:00:00Z") },
      { status: "partial_outage", at: d("2026-03-06T22:10:00Z") },
      { status: "major_outage", at: d("2026-03-07T03:00:00Z") },
      { status: "degraded_performance", at: d("2026-03-08T05:00:00Z") },
      { status: "major_outage", at: d("2026-03-09T04:00:00Z") },
      { status: "operational", at: d("2026-03-09T04:30:00Z") },
      { status: "under_maintenance", at: d("2026-03-10T15:00:00Z") },
      { status: "operational", at: d("2026-03-10T16:00:00Z") },
    ],
    startDate: null,
    createdAt: d("2026-02-20T00:00:00Z"),
    now: d("2026-03-11T18:00:00Z"),
    zone: "America/New_York",
    days: 8,
  };

  it("takes known days as given and computes the rest the same from the changes after them", () => {
    const full = computeUptime(busy);
    const figures = full.days.map(({ worst, countedMinutes, majorOutageMinutes, partialOutageMinutes }) => ({
      worst,
      countedMinutes,
      majorOutageMinutes,
      partialOutageMinutes,
    }));
    const calendar = uptimeCalendar(busy.now, busy.zone, 8);
    for (let known = 1; known < 8; known++) {
      const since = calendar.days[known].start;
      const before = busy.changes.filter((c) => c.at.getTime() < since).at(-1)!;
      const changes = [before, ...busy.changes.filter((c) => c.at.getTime() >= since)];
      expect(computeUptime({ ...busy, calendar, changes, knownDays: figures.slice(0, known) })).toEqual(full);
    }
    // Known figures win over the changes: they are not recomputed.
    const doctored = { ...figures[0], worst: "major_outage" as const };
    expect(computeUptime({ ...busy, knownDays: [doctored] }).days[0].worst).toBe("major_outage");
  });

  it("gives the window's calendar days with their DST lengths", () => {
    const calendar = uptimeCalendar(busy.now, busy.zone, 8);
    expect(calendar.days.map((x) => x.day)).toEqual(["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11"]);
    expect(calendar.days.map((x) => (x.end - x.start) / 3_600_000)).toEqual([24, 24, 24, 24, 23, 24, 24, 24]);
    expect(calendar.days[0].start).toBe(d("2026-03-04T05:00:00Z").getTime());
  });

  it("sorts changes given out of order", () => {
    expect(computeUptime({ ...busy, changes: [...busy.changes].reverse() })).toEqual(computeUptime(busy));
  });

  it("formats without rounding up to 100%", () => {
    expect(formatUptime(0.99999)).toBe("99.99%");
    expect(formatUptime(1)).toBe("100.00%");
    expect(formatUptime(0.99999, "de")).toBe("99,99\u00a0%");
    expect(formatUptime(0.5, "ja")).toBe("50.00%");
  });
});

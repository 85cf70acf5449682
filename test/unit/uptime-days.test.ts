import { describe, expect, it } from "vitest";
import { dayWords } from "#components/component-list.tsx";
import { dayClass, dayDetails, dayLabel, packDays } from "#components/uptime-days.ts";
import { translator } from "#lib/core/messages.ts";
import type { UptimeDay } from "#lib/core/uptime.ts";

const day = (d: string, worst: UptimeDay["worst"], major = 0, partial = 0, incidents: string[] = []): UptimeDay => ({
  day: d,
  worst,
  countedMinutes: worst ? 1440 : 0,
  majorOutageMinutes: major,
  partialOutageMinutes: partial,
  incidents: incidents.map((name, i) => ({ id: `i${i}`, name, impact: "minor" })),
});

// Across a month end and the March DST change (days are UTC calendar labels).
const days = [
  day("2026-03-28", null),
  day("2026-03-29", "operational"),
  day("2026-03-30", "partial_outage", 0, 29.4, ["Elevated API error rates"]),
  day("2026-03-31", "major_outage", 12.6, 3, ["Outage A", "Outage B"]),
  day("2026-04-01", "degraded_performance"),
  day("2026-04-02", "under_maintenance"),
  day("2026-04-03", "operational", 0, 0, ["Monitoring only"]),
];

describe("packed uptime days", () => {
  const words = dayWords("en");
  const packed = packDays(days, words, translator("en", "page"), "en");

  it("carries one letter per day and notes only for days with minutes or incidents", () => {
    expect(packed.first).toBe("2026-03-28");
    expect(packed.codes).toBe("nopmduo");
    expect(packed.notes.map((n) => n[0])).toEqual([2, 3, 6]);
    expect(packDays(days.slice(0, 2), words, translator("en", "page"), "en").notes).toEqual([]);
  });

  it("reads back every day's date and details", () => {
    const notes = new Map(packed.notes.map((n) => [n[0], n]));
    const read = [...packed.codes].map((code, i) => [dayLabel(packed.first, i, "en"), ...dayDetails(code, notes.get(i), words)]);
    expect(read).toEqual([
      ["Mar 28, 2026", "No data"],
      ["Mar 29, 2026", "No downtime"],
      ["Mar 30, 2026", "Partial outage 29 min", "Incidents: Elevated API error rates"],
      ["Mar 31, 2026", "Major outage 13 min", "Partial outage 3 min", "Incidents: Outage A and Outage B"],
      ["Apr 1, 2026", "Degraded performance"],
      ["Apr 2, 2026", "Under maintenance"],
      ["Apr 3, 2026", "No downtime", "Incidents: Monitoring only"],
    ]);
  });

  it("tells the days in the reader's language, names as written", () => {
    const de = packDays(days, dayWords("de"), translator("de", "page"), "de");
    const notes = new Map(de.notes.map((n) => [n[0], n]));
    const read = [...de.codes].map((code, i) => [dayLabel(de.first, i, "de"), ...dayDetails(code, notes.get(i), dayWords("de"))]);
    expect(read[0]).toEqual(["28. März 2026", "Keine Daten"]);
    expect(read[3]).toEqual(["31. März 2026", "Schwerer Ausfall 13 Min.", "Teilausfall 3 Min.", "Vorfälle: Outage A und Outage B"]);
    expect(read[4]).toEqual(["1. Apr. 2026", "Eingeschränkte Leistung"]);
    expect(dayLabel(de.first, 3, "ja")).toBe("2026年3月31日");
  });

  it("leaves operational days without a class: the bar's default colour", () => {
    expect([...packed.codes].map(dayClass)).toEqual(["n", undefined, "p", "m", "d", "u", undefined]);
  });

  it("packs an empty bar", () => {
    expect(packDays([], dayWords("en"), translator("en", "page"), "en")).toEqual({ first: "", codes: "", notes: [] });
  });
});

import { describe, expect, it } from "vitest";
import { addDays, dayKey, formatDuration, rfc3339, startOfDay, zoneOffsetMinutes } from "#lib/core/time.ts";

describe("time in the page's zone", () => {
  it("renders RFC 3339 with milliseconds: Z for UTC pages, the offset at that instant elsewhere", () => {
    const winter = new Date("2026-01-15T12:00:00.123Z");
    const summer = new Date("2026-07-15T12:00:00.5Z");
    expect(rfc3339(winter, "Etc/UTC")).toBe("2026-01-15T12:00:00.123Z");
    expect(rfc3339(winter, "America/Los_Angeles")).toBe("2026-01-15T04:00:00.123-08:00");
    expect(rfc3339(summer, "America/Los_Angeles")).toBe("2026-07-15T05:00:00.500-07:00");
    expect(rfc3339(winter, "Asia/Kolkata")).toBe("2026-01-15T17:30:00.123+05:30");
    expect(rfc3339(winter, "Europe/London")).toBe("2026-01-15T12:00:00.123+00:00");
  });

  it("finds day boundaries across DST changes (23 and 25 hour days)", () => {
    const zone = "America/New_York";
    // 2026-03-08: clocks spring forward; 2026-11-01: fall back.
    const spring = startOfDay("2026-03-08", zone);
    expect(spring.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDay(addDays("2026-03-08", 1), zone).getTime() - spring.getTime()).toBe(23 * 3600_000);
    const fall = startOfDay("2026-11-01", zone);
    expect(fall.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfDay("2026-11-02", zone).getTime() - fall.getTime()).toBe(25 * 3600_000);
    expect(dayKey(new Date("2026-11-02T04:59:00Z"), zone)).toBe("2026-11-01");
    expect(dayKey(new Date("2026-11-02T05:00:00Z"), zone)).toBe("2026-11-02");
    expect(zoneOffsetMinutes(new Date("2026-06-01T00:00:00Z"), zone)).toBe(-240);
  });

  it("formats durations", () => {
    expect(formatDuration(45 * 60_000)).toBe("45 min");
    expect(formatDuration(135 * 60_000)).toBe("2 h 15 min");
    expect(formatDuration(76 * 3600_000)).toBe("3 d 4 h");
  });
});

import { describe, expect, it } from "vitest";
import { addDays, dayKey, formatDateTime, formatDay, formatDuration, formatMonth, rfc3339, startOfDay, zoneOffsetMinutes } from "#lib/core/time.ts";

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

  it("formats durations in their two largest units, in the reader's locale", () => {
    expect(formatDuration(0)).toBe("0 min");
    expect(formatDuration(45 * 60_000)).toBe("45 min");
    expect(formatDuration(120 * 60_000)).toBe("2 hr");
    expect(formatDuration(135 * 60_000)).toBe("2 hr, 15 min");
    expect(formatDuration(76 * 3600_000)).toBe("3 days, 4 hr");
    expect(formatDuration(135 * 60_000, "de")).toBe("2 Std., 15 Min.");
    expect(formatDuration(76 * 3600_000, "ja")).toBe("3 日 4 時間");
    expect(formatDuration(135 * 60_000, "zh-CN")).toBe("2小时15分钟");
  });

  it("formats dates and times for people in the reader's locale, in the page's zone", () => {
    const at = new Date("2026-11-23T14:05:00Z");
    expect(formatDateTime(at, "Etc/UTC")).toBe("Nov 23, 2026, 14:05 UTC");
    expect(formatDateTime(at, "Etc/UTC", { locale: "de" })).toBe("23. Nov. 2026, 14:05 UTC");
    expect(formatDateTime(at, "Europe/Berlin", { locale: "de", withDate: false })).toBe("15:05 MEZ");
    expect(formatDateTime(at, "Asia/Tokyo", { locale: "ja" })).toBe("2026年11月23日 23:05 JST");
    expect(formatDay("2026-11-23", "de")).toBe("23. Nov. 2026");
    expect(formatDay("2026-11-23", "fr")).toBe("23 nov. 2026");
    expect(formatDay("2026-11-23", "ar")).toBe("23 نوفمبر 2026");
    expect(formatMonth("2026-03", "de")).toBe("März 2026");
    expect(formatMonth("2026-03", "pt-BR")).toBe("março de 2026");
  });
});

import type { Locale } from "./locales.ts";

/*
 * Time in the page's zone, with Intl only. Timestamps are stored in UTC;
 * the page's IANA zone decides days (uptime bars, history) and display.
 */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu"]);

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Offset of `zone` at `date`, in minutes east of UTC. */
export function zoneOffsetMinutes(date: Date, zone: string): number {
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormatters.set(zone, f);
  }
  const name = f.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

function pad(n: number, width = 2) {
  return String(n).padStart(width, "0");
}

function formatOffset(minutes: number) {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** RFC 3339 with milliseconds in the page's zone: `Z` for UTC pages, else the offset valid at that instant. */
export function rfc3339(date: Date, zone: string): string {
  if (UTC_ZONES.has(zone)) return date.toISOString();
  const offset = zoneOffsetMinutes(date, zone);
  const local = new Date(date.getTime() + offset * 60_000);
  return `${local.toISOString().slice(0, 23)}${formatOffset(offset)}`;
}

/** The calendar day (YYYY-MM-DD) of `date` in `zone`. */
export function dayKey(date: Date, zone: string): string {
  const local = new Date(date.getTime() + zoneOffsetMinutes(date, zone) * 60_000);
  return local.toISOString().slice(0, 10);
}

/** The instant a calendar day starts in `zone` (handles DST days of 23 or 25 hours). */
export function startOfDay(day: string, zone: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let guess = midnightUtc - zoneOffsetMinutes(new Date(midnightUtc), zone) * 60_000;
  // A second pass settles days where the offset changes between the guesses.
  guess = midnightUtc - zoneOffsetMinutes(new Date(guess), zone) * 60_000;
  return new Date(guess);
}

/** Day key `n` days after `day` (negative for before). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/*
 * Dates, times and durations for people, in the reader's locale (Intl
 * only, so the browser formats the same way: components/local-time.tsx).
 * The default is English, what the admin area, the feeds' human text and
 * the emails not yet localised read.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, f);
  }
  return f;
}

/** The options of a date-time for people: date (unless `withDate` is false), 24-hour time, the zone's short name. */
export function dateTimeOptions(zone: string | undefined, withDate = true): Intl.DateTimeFormatOptions {
  return {
    timeZone: zone,
    ...(withDate ? { year: "numeric", month: "short", day: "numeric" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  };
}

/** Human date-time in the page's zone, e.g. "Nov 23, 2026, 14:05 UTC" (en), "23. Nov. 2026, 14:05 UTC" (de). */
export function formatDateTime(date: Date, zone: string, options: { withDate?: boolean; locale?: Locale } = {}): string {
  return dateTimeFormat(options.locale ?? "en", dateTimeOptions(zone, options.withDate ?? true)).format(date);
}

/** A calendar day (YYYY-MM-DD): "Nov 23, 2026" (en), "23. Nov. 2026" (de). */
export function formatDay(day: string, locale: Locale = "en"): string {
  return dateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short", day: "numeric" }).format(new Date(`${day}T00:00:00Z`));
}

/** A month (YYYY-MM): "November 2026" (en), "November 2026" (de), "2026年11月" (ja). */
export function formatMonth(month: string, locale: Locale = "en"): string {
  return dateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "long" }).format(new Date(`${month}-01T00:00:00Z`));
}

/** To the minute, in its two largest units: "45 min", "2 hr, 15 min", "3 days, 4 hr" (en); "2 Std., 15 Min." (de). */
export function formatDuration(ms: number, locale: Locale = "en"): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const parts = minutes < 60 ? { minutes } : hours < 24 ? { hours, minutes: minutes % 60 } : { days: Math.floor(hours / 24), hours: hours % 24 };
  // A zero unit is left out ("2 hr"), except a duration of nothing: "0 min".
  return new Intl.DurationFormat(locale, { style: "short", minutesDisplay: minutes === 0 ? "always" : "auto" }).format(parts);
}

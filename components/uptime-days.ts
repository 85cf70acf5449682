import type { Locale } from "#lib/core/locales.ts";
import type { Translator } from "#lib/core/messages.ts";
import type { ComponentStatus, UptimeDay } from "#lib/public/status-page.ts";
import { formatDay, formatDuration } from "#lib/core/time.ts";

/*
 * The uptime bar's days as they travel in the page's RSC payload, shared by
 * the server (ComponentList packs them) and the client (UptimeBar reads them).
 * 90 days × every component are most of the page, so the format is lean: the
 * first day, one status letter per consecutive day, and notes for the few
 * days with outage minutes or incidents. The letter is also the day's class
 * in the HTML (app/globals.css colours `.uptime-bar > .p` and so on), except
 * for operational days, most of them: the bar's default colour needs none.
 * The words come resolved from the server (a note's lines, DayWords), so the
 * browser formats dates with Intl and needs no catalog.
 */
const CODES: Record<ComponentStatus, string> = {
  operational: "o",
  degraded_performance: "d",
  partial_outage: "p",
  major_outage: "m",
  under_maintenance: "u",
};
const NO_DATA = "n";
const STATUS_OF = new Map(Object.entries(CODES).map(([status, code]) => [code, status as ComponentStatus]));

/** A day with more to say than its status: its index and its detail lines. */
export type DayNote = [index: number, lines: string[]];

export interface UptimeDays {
  first: string;
  codes: string;
  notes: DayNote[];
}

/** What a day without a note says: nothing counted, nothing down, or its status (common.componentStatus). */
export interface DayWords {
  noData: string;
  noDowntime: string;
  status: Record<ComponentStatus, string>;
}

function statusWord(worst: ComponentStatus | null | undefined, words: DayWords): string {
  return !worst ? words.noData : worst === "operational" ? words.noDowntime : words.status[worst];
}

/** The day as words: outage minutes (else its status), then its incidents. The server's side; names are shown as written. */
export function dayLines(
  d: Pick<UptimeDay, "worst" | "majorOutageMinutes" | "partialOutageMinutes"> & { incidents: { name: string }[] },
  words: DayWords,
  t: Translator<"page">,
  locale: Locale,
): string[] {
  const major = Math.round(d.majorOutageMinutes);
  const partial = Math.round(d.partialOutageMinutes);
  const lines: string[] = [];
  if (major > 0) lines.push(t("uptime.day.major", { duration: formatDuration(major * 60_000, locale) }));
  if (partial > 0) lines.push(t("uptime.day.partial", { duration: formatDuration(partial * 60_000, locale) }));
  if (lines.length === 0) lines.push(statusWord(d.worst, words));
  if (d.incidents.length > 0) lines.push(t("uptime.day.incidents", { incidents: new Intl.ListFormat(locale).format(d.incidents.map((i) => i.name)) }));
  return lines;
}

/** Packs consecutive days, in the uptime read model's order. */
export function packDays(days: UptimeDay[], words: DayWords, t: Translator<"page">, locale: Locale): UptimeDays {
  const notes: DayNote[] = [];
  days.forEach((d, i) => {
    if (Math.round(d.majorOutageMinutes) > 0 || Math.round(d.partialOutageMinutes) > 0 || d.incidents.length > 0) {
      notes.push([i, dayLines(d, words, t, locale)]);
    }
  });
  return { first: days[0]?.day ?? "", codes: days.map((d) => (d.worst ? CODES[d.worst] : NO_DATA)).join(""), notes };
}

/** The day's class: none for operational days. */
export function dayClass(code: string): string | undefined {
  return code === CODES.operational ? undefined : code;
}

/** "Aug 26, 2026" (en), "26. Aug. 2026" (de) for the day `index` days after the first. */
export function dayLabel(first: string, index: number, locale: Locale): string {
  return formatDay(new Date(Date.parse(`${first}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10), locale);
}

/** The day's detail lines after its date. */
export function dayDetails(code: string, note: DayNote | undefined, words: DayWords): string[] {
  return note ? note[1] : [statusWord(STATUS_OF.get(code), words)];
}

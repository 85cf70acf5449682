import type { ComponentStatus, UptimeDay } from "#lib/public/status-page.ts";
import { componentStatusMeta } from "#lib/core/statuses.ts";
import { formatDay } from "#lib/core/time.ts";

/*
 * The uptime bar's days as they travel in the page's RSC payload, shared by
 * the server (ComponentList packs them) and the client (UptimeBar reads them).
 * 90 days × every component are most of the page, so the format is lean: the
 * first day, one status letter per consecutive day, and notes for the few
 * days with outage minutes or incidents. The letter is also the day's class
 * in the HTML (app/globals.css colours `.uptime-bar > .p` and so on), except
 * for operational days, most of them: the bar's default colour needs none.
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

/** A day with more to say than its status: [day index, major outage minutes, partial outage minutes, incident names]. */
export type DayNote = [index: number, major: number, partial: number, incidents: string[]];

export interface UptimeDays {
  first: string;
  codes: string;
  notes: DayNote[];
}

/** Packs consecutive days, in the uptime read model's order. */
export function packDays(days: UptimeDay[]): UptimeDays {
  const notes: DayNote[] = [];
  days.forEach((d, i) => {
    const major = Math.round(d.majorOutageMinutes);
    const partial = Math.round(d.partialOutageMinutes);
    if (major > 0 || partial > 0 || d.incidents.length > 0) notes.push([i, major, partial, d.incidents.map((x) => x.name)]);
  });
  return { first: days[0]?.day ?? "", codes: days.map((d) => (d.worst ? CODES[d.worst] : NO_DATA)).join(""), notes };
}

/** The day's class: none for operational days. */
export function dayClass(code: string): string | undefined {
  return code === CODES.operational ? undefined : code;
}

/** "Aug 26, 2026" for the day `index` days after the first. */
export function dayLabel(first: string, index: number): string {
  return formatDay(new Date(Date.parse(`${first}T00:00:00Z`) + index * 86_400_000).toISOString().slice(0, 10));
}

/** The day's detail lines after its date. */
export function dayDetails(code: string, note: DayNote | undefined): string[] {
  const worst = STATUS_OF.get(code);
  if (!worst) return ["No data"];
  const [, major, partial, incidents] = note ?? [0, 0, 0, []];
  const lines: string[] = [];
  if (major > 0) lines.push(`Major outage ${major} min`);
  if (partial > 0) lines.push(`Partial outage ${partial} min`);
  if (lines.length === 0) lines.push(worst === "operational" ? "No downtime" : componentStatusMeta[worst].label);
  if (incidents.length > 0) lines.push(`Incidents: ${incidents.join("; ")}`);
  return lines;
}

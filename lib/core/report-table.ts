import { z } from "zod";
import type { Severity } from "#db/schema.ts";
import { csvLine } from "./csv.ts";
import { dateField } from "./forms.ts";
import { DURATION_KINDS, monthPeriod, type DurationKind, type Period, type PeriodFigures } from "./measures.ts";
import { IMPACTS, impactMeta, SEVERITIES } from "./statuses.ts";
import { addDays } from "./time.ts";

/*
 * The reliability report as one list of rounded figures: the admin page,
 * the CSV and JSON exports and /api/v1 all show these rows, so they cannot
 * disagree (test/integration/reliability-report.test.ts checks the four).
 */

export type FigureUnit = "count" | "minutes" | "hours" | "percent";

export interface ReportRow {
  key: string;
  section: string;
  label: string;
  unit: FigureUnit;
  current: number | null;
  previous: number | null;
}

export interface ComponentRow {
  id: string;
  name: string;
  /** Percent, floored to 3 decimals. */
  availability: number | null;
  incidents: number;
  customerImpactHours: number;
  maintenanceMinutes: number;
  resolveMedianMinutes: number | null;
}

const round = (value: number | null, decimals: number) => (value === null ? null : Math.round(value * 10 ** decimals) / 10 ** decimals);
/** Availability floors, so any downtime keeps it under 100 % (as formatUptime does). */
const percentFloor = (ratio: number | null) => (ratio === null ? null : Math.floor(ratio * 100_000) / 1000);
const percent = (share: number | null) => round(share === null ? null : share * 100, 1);

export const DURATION_LABELS: Record<DurationKind, string> = {
  acknowledge: "Time to acknowledge",
  firstUpdate: "Time to first public update",
  mitigate: "Time to mitigate",
  resolve: "Time to resolve",
};

type Pick = (f: PeriodFigures) => number | null;

function row(key: string, section: string, label: string, unit: FigureUnit, pick: Pick) {
  return { key, section, label, unit, pick };
}

const ROWS = [
  row("incidents", "Incidents", "Incidents", "count", (f) => f.incidents.total),
  ...SEVERITIES.map((s) => row(`incidents.${s}`, "Incidents", `${s} incidents`, "count", (f) => f.incidents.bySeverity[s])),
  ...IMPACTS.map((i) => row(`incidents.impact.${i}`, "Incidents", `${impactMeta[i].label} impact`, "count", (f) => f.incidents.byImpact[i])),
  row("incidents.open", "Incidents", "Still open", "count", (f) => f.incidents.open),
  row("incidents.backfilled", "Incidents", "Backfilled (no response times)", "count", (f) => f.incidents.backfilled),
  ...DURATION_KINDS.flatMap((kind) => [
    row(`${kind}.median`, "Response", `${DURATION_LABELS[kind]}, median`, "minutes", (f) => round(f.durations[kind].median, 1)),
    row(`${kind}.p90`, "Response", `${DURATION_LABELS[kind]}, 90th percentile`, "minutes", (f) => round(f.durations[kind].p90, 1)),
    row(`${kind}.count`, "Response", `${DURATION_LABELS[kind]}, incidents measured`, "count", (f) => f.durations[kind].count),
  ]),
  ...DURATION_KINDS.flatMap((kind) =>
    SEVERITIES.flatMap((s: Severity) => [
      row(`${kind}.${s}.median`, "By severity", `${DURATION_LABELS[kind]}, ${s}, median`, "minutes", (f) => round(f.durations[kind].bySeverity[s].median, 1)),
      row(`${kind}.${s}.p90`, "By severity", `${DURATION_LABELS[kind]}, ${s}, 90th percentile`, "minutes", (f) => round(f.durations[kind].bySeverity[s].p90, 1)),
      row(`${kind}.${s}.count`, "By severity", `${DURATION_LABELS[kind]}, ${s}, measured`, "count", (f) => f.durations[kind].bySeverity[s].count),
      ...(kind === "mitigate"
        ? []
        : [row(`${kind}.${s}.withinTarget`, "By severity", `${DURATION_LABELS[kind]}, ${s}, within target`, "percent", (f: PeriodFigures) => percent(f.durations[kind].bySeverity[s].withinTarget))]),
    ]),
  ),
  row("availability", "Reliability", "Availability", "percent", (f) => percentFloor(f.availability)),
  row("mtbf", "Reliability", "Mean time between failures", "hours", (f) => round(f.mtbfHours, 2)),
  row("customerImpactHours", "Reliability", "Customer impact hours (impact-weighted)", "hours", (f) => round(f.customerImpactHours, 2)),
  row("longest", "Reliability", "Longest incident", "minutes", (f) => round(f.longest?.minutes ?? null, 1)),
  row("maintenanceMinutes", "Reliability", "Maintenance", "minutes", (f) => round(f.maintenanceMinutes, 1)),
  row("repeats", "Reliability", "Repeat incidents (same component within 30 days)", "count", (f) => f.repeats.count),
  row("repeats.share", "Reliability", "Repeat incidents, share", "percent", (f) => percent(f.repeats.share)),
  row("promises.kept", "Communication", "Next-update promises kept", "count", (f) => f.promises.kept),
  row("promises.missed", "Communication", "Next-update promises missed", "count", (f) => f.promises.missed),
  row("promises.share", "Communication", "Next-update promises kept, share", "percent", (f) => percent(f.promises.keptShare)),
  row("postmortems.due", "Communication", "Postmortems due", "count", (f) => f.postmortems.due),
  row("postmortems.onTime", "Communication", "Postmortems on time", "count", (f) => f.postmortems.onTime),
  row("postmortems.late", "Communication", "Postmortems late", "count", (f) => f.postmortems.late),
  row("postmortems.outstanding", "Communication", "Postmortems outstanding", "count", (f) => f.postmortems.outstanding),
];

export function reportRows(current: PeriodFigures, previous: PeriodFigures): ReportRow[] {
  return ROWS.map(({ pick, ...r }) => ({ ...r, current: pick(current), previous: pick(previous) }));
}

export function componentRow(c: { id: string; name: string; figures: PeriodFigures }): ComponentRow {
  return {
    id: c.id,
    name: c.name,
    availability: percentFloor(c.figures.availability),
    incidents: c.figures.incidents.total,
    customerImpactHours: round(c.figures.customerImpactHours, 2)!,
    maintenanceMinutes: round(c.figures.maintenanceMinutes, 1)!,
    resolveMedianMinutes: round(c.figures.durations.resolve.median, 1),
  };
}

const UNIT: Record<FigureUnit, string> = { count: "", minutes: "min", hours: "h", percent: "%" };

/** A figure exactly as the CSV, JSON and API give it, with its unit; "—" for none (the page and the digest show these). */
export function figureText(value: number | null, unit: FigureUnit): string {
  if (value === null) return "—";
  return UNIT[unit] ? `${value} ${UNIT[unit]}` : String(value);
}

const UNIT_HEADINGS: Record<FigureUnit, string> = { count: "count", minutes: "minutes", hours: "hours", percent: "%" };

/** The rows, then the components, as CSV; an empty cell is "no figure". */
export function reportCsv(rows: readonly ReportRow[], components: readonly ComponentRow[], period: Period, previous: Period): string {
  const cell = (v: number | null) => (v === null ? "" : String(v));
  const lines = [
    csvLine(["figure", "key", "unit", `${period.firstDay}..${addDays(period.endDay, -1)}`, `${previous.firstDay}..${addDays(previous.endDay, -1)}`]),
    ...rows.map((r) => csvLine([r.label, r.key, UNIT_HEADINGS[r.unit], cell(r.current), cell(r.previous)])),
    "",
    csvLine(["component", "id", "availability %", "incidents", "customer impact hours", "maintenance minutes", "time to resolve, median (minutes)"]),
    ...components.map((c) =>
      csvLine([c.name, c.id, cell(c.availability), String(c.incidents), String(c.customerImpactHours), String(c.maintenanceMinutes), cell(c.resolveMedianMinutes)]),
    ),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/*
 * Which period: a month (YYYY-MM), or from/to days (both included); neither
 * means the current month in the page's zone. A component narrows it.
 */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const reportQuery = z
  .object({
    month: z.string().regex(MONTH, "must be a month (YYYY-MM)").optional(),
    from: dateField.optional(),
    to: dateField.optional(),
    component: z.string().regex(/^[a-z0-9]{12}$/, "is not a component").optional(),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { path: ["to"], error: "from and to go together" })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ["to"], error: "must not be before from" })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 3660 * 86_400_000, { path: ["to"], error: "is more than 10 years after from" })
  .refine((q) => !(q.month && q.from), { path: ["month"], error: "give a month or from and to, not both" });

export type ReportQuery = z.output<typeof reportQuery>;

export function periodOf(query: ReportQuery, currentMonth: string): Period {
  if (query.from && query.to) return { firstDay: query.from, endDay: addDays(query.to, 1) };
  return monthPeriod(query.month ?? currentMonth);
}

import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { IncidentRow, Severity } from "#db/schema.ts";
import { measurePeriod, previousPeriod, REPEAT_WINDOW_DAYS, type ComponentHistory, type MaintenanceSpan, type Period, type PeriodFigures } from "#lib/core/measures.ts";
import { checkTargets, milestones, targetsFor, type IncidentFacts, type Milestones, type TargetCheck } from "#lib/core/milestones.ts";
import { notFound } from "#lib/core/errors.ts";
import { componentRow, periodOf, reportRows, type ComponentRow, type ReportQuery, type ReportRow } from "#lib/core/report-table.ts";
import { dayKey, startOfDay } from "#lib/core/time.ts";
import { inPageOrder } from "./page-order.ts";
import { getPage } from "./page-settings.ts";
import { statusChanges } from "./uptime-rollups.ts";

/*
 * The reliability report's reads: incidents as facts (their rows, the
 * updates' write times and promises, their components), maintenance spans
 * and component status history; lib/core/measures.ts does the arithmetic.
 * Maintenance is read apart and only ever becomes maintenance minutes.
 */

type FactRow = Pick<
  IncidentRow,
  | "id"
  | "reference"
  | "name"
  | "severity"
  | "impact"
  | "started_at"
  | "detected_at"
  | "acknowledged_at"
  | "created_at"
  | "identified_at"
  | "monitoring_at"
  | "resolved_at"
  | "postmortem_published_at"
  | "backfilled"
>;

/** Incidents (never maintenance) as the measures take them, in the rows' order. */
export async function incidentFacts(db: Db, rows: readonly FactRow[]): Promise<IncidentFacts[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [updates, links] = await Promise.all([
    db
      .selectFrom("incident_updates")
      .select(["incident_id", "created_at", "next_update_due_at"])
      .where("incident_id", "in", ids)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db.selectFrom("incident_components").select(["incident_id", "component_id"]).where("incident_id", "in", ids).execute(),
  ]);
  const updatesOf = group(updates, (u) => u.incident_id);
  const componentsOf = group(links, (l) => l.incident_id);
  return rows.map((r) => {
    const written = updatesOf.get(r.id) ?? [];
    return {
      id: r.id,
      reference: r.reference,
      name: r.name,
      severity: (r.severity ?? "SEV-4") as Severity,
      impact: r.impact,
      startedAt: r.started_at,
      detectedAt: r.detected_at,
      acknowledgedAt: r.acknowledged_at,
      declaredAt: r.created_at,
      firstUpdateAt: written[0]?.created_at ?? null,
      identifiedAt: r.identified_at,
      mitigatedAt: r.monitoring_at,
      resolvedAt: r.resolved_at,
      postmortemPublishedAt: r.postmortem_published_at,
      backfilled: r.backfilled,
      componentIds: (componentsOf.get(r.id) ?? []).map((l) => l.component_id),
      updates: written.map((u) => ({ writtenAt: u.created_at, nextDueAt: u.next_update_due_at })),
    };
  });
}

function group<T>(list: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of list) {
    const k = key(item);
    const entry = map.get(k);
    if (entry) entry.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** Each incident's targets as of now (the admin's list and incident page), by id. */
export async function targetChecks(db: Db, rows: readonly IncidentRow[], now = new Date()): Promise<Map<string, TargetCheck[]>> {
  const incidents = rows.filter((r) => r.kind === "incident");
  const [facts, page] = await Promise.all([incidentFacts(db, incidents), getPage(db)]);
  const targets = targetsFor(page.targets);
  return new Map(facts.map((f) => [f.id, checkTargets(f, targets[f.severity], now)]));
}

/** One incident's milestones and targets: live while open, its scorecard once closed. */
export async function incidentScorecard(db: Db, row: IncidentRow, now = new Date()): Promise<{ milestones: Milestones; checks: TargetCheck[] } | null> {
  if (row.kind !== "incident") return null;
  const [[facts], page] = await Promise.all([incidentFacts(db, [row]), getPage(db)]);
  return { milestones: milestones(facts), checks: checkTargets(facts, targetsFor(page.targets)[facts.severity], now) };
}

export interface ReliabilityReport {
  zone: string;
  generatedAt: Date;
  componentId: string | null;
  current: PeriodFigures;
  previous: PeriodFigures;
  /** The current period per component, in page order (archived components are left out of the report). */
  components: { id: string; name: string; figures: PeriodFigures }[];
}

/** The report for a period (and the one before it), for the whole page or one component. */
export async function reliabilityReport(db: Db, options: { period: Period; componentId?: string; now?: Date }): Promise<ReliabilityReport> {
  const now = options.now ?? new Date();
  const page = await getPage(db);
  const zone = page.time_zone;
  const previous = previousPeriod(options.period);
  const from = startOfDay(previous.firstDay, zone);
  const to = startOfDay(options.period.endDay, zone);
  const [incidents, maintenance, components] = await Promise.all([
    loadIncidents(db, from, to),
    loadMaintenance(db, from, to),
    loadComponents(db, from, new Date(Math.min(to.getTime(), now.getTime()))),
  ]);
  const base = { zone, now, incidents, maintenance, components, targets: targetsFor(page.targets) };
  const componentId = options.componentId;
  return {
    zone,
    generatedAt: now,
    componentId: componentId ?? null,
    current: measurePeriod({ ...base, period: options.period, componentId }),
    previous: measurePeriod({ ...base, period: previous, componentId }),
    components: components.map((c) => ({ id: c.id, name: c.name, figures: measurePeriod({ ...base, period: options.period, componentId: c.id }) })),
  };
}

export interface ReliabilityDocument {
  zone: string;
  period: Period;
  previousPeriod: Period;
  generatedAt: string;
  component: { id: string; name: string } | null;
  figures: ReportRow[];
  components: ComponentRow[];
  longest: PeriodFigures["longest"];
}

/** The report as the page, the CSV and JSON exports and /api/v1 show it: one set of rounded figures. */
export async function reliabilityDocument(db: Db, query: ReportQuery, now = new Date()): Promise<ReliabilityDocument> {
  const { time_zone: zone } = await getPage(db);
  const period = periodOf(query, dayKey(now, zone).slice(0, 7));
  const report = await reliabilityReport(db, { period, componentId: query.component, now });
  const component = query.component ? report.components.find((c) => c.id === query.component) : undefined;
  if (query.component && !component) throw notFound("component");
  return {
    zone,
    period,
    previousPeriod: report.previous.period,
    generatedAt: now.toISOString(),
    component: component ? { id: component.id, name: component.name } : null,
    figures: reportRows(report.current, report.previous),
    components: report.components.map(componentRow),
    longest: report.current.longest,
  };
}

/** Incidents overlapping [from, to), or begun up to the repeat window before it. */
async function loadIncidents(db: Db, from: Date, to: Date) {
  const repeatsFrom = new Date(from.getTime() - REPEAT_WINDOW_DAYS * 86_400_000);
  const rows = await db
    .selectFrom("incidents")
    .selectAll()
    .where("kind", "=", "incident")
    .where("started_at", "<", to)
    .where((eb) => eb.or([eb("started_at", ">=", repeatsFrom), eb("resolved_at", "is", null), eb("resolved_at", ">=", from)]))
    .orderBy("started_at")
    .execute();
  return incidentFacts(db, rows);
}

/** Maintenance that went in progress (its first in-progress or verifying update) and overlaps [from, to). */
async function loadMaintenance(db: Db, from: Date, to: Date): Promise<MaintenanceSpan[]> {
  const { rows } = await sql<{ id: string; began: Date | string; resolved_at: Date | string | null; component_ids: string[] | null }>`
    select i.id, b.began, i.resolved_at,
           (select array_agg(component_id) from incident_components ic where ic.incident_id = i.id) as component_ids
    from incidents i
    cross join lateral (
      select min(display_at) as began from incident_updates u
      where u.incident_id = i.id and u.status in ('in_progress', 'verifying')
    ) b
    where i.kind = 'maintenance' and b.began < ${to} and (i.resolved_at is null or i.resolved_at >= ${from})
  `.execute(db);
  return rows.map((r) => ({
    id: r.id,
    componentIds: r.component_ids ?? [],
    from: new Date(r.began),
    to: r.resolved_at === null ? null : new Date(r.resolved_at),
  }));
}

/** The page's components in page order, with their status history from `from` (and the change in effect then). */
async function loadComponents(db: Db, from: Date, until: Date): Promise<ComponentHistory[]> {
  const rows = await inPageOrder(db.selectFrom("components").select(["id", "name", "start_date", "created_at"]).where("archived_at", "is", null)).execute();
  if (rows.length === 0) return [];
  const changes = await statusChanges(
    db,
    rows.map((r) => ({ id: r.id, since: from.getTime() })),
    until,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, startDate: r.start_date, createdAt: r.created_at, changes: changes.get(r.id) ?? [] }));
}

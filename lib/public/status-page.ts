import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { ComponentStatus, Impact, IncidentKind, UpdateStatus } from "#db/schema.ts";
import { affectedComponents, listComponents, listGroups } from "#lib/domain/components.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import {
  OPEN_INCIDENT_STATUSES,
  OPEN_MAINTENANCE_STATUSES,
  overallStatus,
  worstComponentStatus,
  type Indicator,
  type OverallDescription,
} from "#lib/core/statuses.ts";
import { addDays, dayKey, startOfDay } from "#lib/core/time.ts";
import { uptimeCalendar, type UptimeDay } from "#lib/core/uptime.ts";
import { componentUptimes } from "#lib/domain/uptime-rollups.ts";

/*
 * The public read model: plain async queries that return what the public
 * pages render, already shaped (markdown rendered, uptime computed).
 * Every query is bounded so the pages stay fast with years of history:
 * uptime's complete days from a rollup and only the status changes since
 * (lib/domain/uptime-rollups.ts), 14 days of incidents, history by LIMIT.
 */
export type { ComponentStatus, Impact, IncidentKind, UpdateStatus, UptimeDay };

export const PAST_DAYS = 14;
export const HISTORY_PAGE_SIZE = 20;
// Incidents that began this long before the uptime window still label its first days.
const INCIDENT_LOOKBACK_DAYS = 7;

export interface PageInfo {
  name: string;
  url: string;
  timeZone: string;
  supportUrl: string | null;
}

export interface ComponentRef {
  id: string;
  name: string;
}

export interface UpdateView {
  id: string;
  status: UpdateStatus;
  bodyHtml: string;
  displayAt: Date;
}

export interface IncidentSummary {
  id: string;
  reference: string;
  kind: IncidentKind;
  name: string;
  status: UpdateStatus;
  impact: Impact;
  startedAt: Date;
  resolvedAt: Date | null;
  nextUpdateDueAt: Date | null;
  scheduledFor: Date | null;
  scheduledUntil: Date | null;
  cancelled: boolean;
  latestUpdate: UpdateView | null;
  components: ComponentRef[];
}

export interface ComponentView {
  id: string;
  name: string;
  description: string | null;
  status: ComponentStatus;
  /** null when the component hides its uptime bar (showcase = false). */
  uptime: { days: UptimeDay[]; ratio: number | null } | null;
}

export type Section =
  | { kind: "group"; id: string; name: string; description: string | null; status: ComponentStatus; components: ComponentView[] }
  | { kind: "component"; component: ComponentView };

export interface StatusPageView {
  page: PageInfo;
  generatedAt: Date;
  overall: { indicator: Indicator; description: OverallDescription };
  activeIncidents: IncidentSummary[];
  maintenanceInProgress: IncidentSummary[];
  maintenanceUpcoming: IncidentSummary[];
  sections: Section[];
  pastDays: { day: string; incidents: IncidentSummary[] }[];
}

type IncidentRowLite = {
  id: string;
  reference: string;
  kind: IncidentKind;
  name: string;
  status: UpdateStatus;
  impact: Impact;
  started_at: Date;
  resolved_at: Date | null;
  next_update_due_at: Date | null;
  scheduled_for: Date | null;
  scheduled_until: Date | null;
  cancelled_at: Date | null;
};

const INCIDENT_COLUMNS = [
  "incidents.id",
  "incidents.reference",
  "incidents.kind",
  "incidents.name",
  "incidents.status",
  "incidents.impact",
  "incidents.started_at",
  "incidents.resolved_at",
  "incidents.next_update_due_at",
  "incidents.scheduled_for",
  "incidents.scheduled_until",
  "incidents.cancelled_at",
] as const;

/** When something happened, for ordering and grouping: a maintenance by its window, an incident by its start. */
const occurredAt = sql<Date>`coalesce(incidents.scheduled_for, incidents.started_at)`;

function pageInfo(page: Awaited<ReturnType<typeof getPage>>): PageInfo {
  return { name: page.name, url: page.url, timeZone: page.time_zone, supportUrl: page.support_url };
}

/** Everything `/` shows. */
export async function statusPage(db: Db, now = new Date()): Promise<StatusPageView> {
  const page = await getPage(db);
  const zone = page.time_zone;
  const today = dayKey(now, zone);
  const calendar = uptimeCalendar(now, zone);
  const windowStart = new Date(calendar.days[0].start);
  const pastStart = startOfDay(addDays(today, -(PAST_DAYS - 1)), zone);

  const [groups, components, active, maintenance, past, incidents] = await Promise.all([
    listGroups(db),
    listComponents(db),
    db
      .selectFrom("incidents")
      .select(INCIDENT_COLUMNS)
      .where("kind", "=", "incident")
      .where("status", "in", OPEN_INCIDENT_STATUSES)
      .orderBy("started_at", "desc")
      .execute(),
    db
      .selectFrom("incidents")
      .select(INCIDENT_COLUMNS)
      .where("kind", "=", "maintenance")
      .where("status", "in", OPEN_MAINTENANCE_STATUSES)
      .where("cancelled_at", "is", null)
      .orderBy("scheduled_for", "asc")
      .execute(),
    db
      .selectFrom("incidents")
      .select(INCIDENT_COLUMNS)
      .where(occurredAt, ">=", pastStart)
      .where(occurredAt, "<=", now)
      .where("cancelled_at", "is", null)
      .orderBy(occurredAt, "desc")
      .execute(),
    incidentSpans(db, windowStart, now),
  ]);
  // Statuspage's only_show_if_degraded: hidden while operational.
  const visible = components.filter((c) => !(c.only_show_if_degraded && c.status === "operational"));
  const [uptimes, summaries] = await Promise.all([
    componentUptimes(
      db,
      visible.filter((c) => c.showcase).map((c) => c.id),
      { now, zone, incidents },
    ),
    summarize(db, [...active, ...maintenance, ...past]),
  ]);
  const summary = (row: IncidentRowLite) => summaries.get(row.id)!;

  const views = new Map<string, ComponentView>();
  for (const c of visible) {
    views.set(c.id, { id: c.id, name: c.name, description: c.description, status: c.status, uptime: uptimes.get(c.id) ?? null });
  }

  const top: { position: number; section: Section }[] = [];
  for (const g of groups) {
    const children = components.filter((c) => c.group_id === g.id);
    const shown = children.map((c) => views.get(c.id)).filter((v): v is ComponentView => v !== undefined);
    if (shown.length === 0) continue;
    top.push({
      position: g.position,
      section: {
        kind: "group",
        id: g.id,
        name: g.name,
        description: g.description,
        status: worstComponentStatus(children.map((c) => c.status)),
        components: shown,
      },
    });
  }
  for (const c of components) {
    const view = views.get(c.id);
    if (c.group_id === null && view) top.push({ position: c.position, section: { kind: "component", component: view } });
  }
  top.sort((a, b) => a.position - b.position);

  const byDay = new Map<string, IncidentSummary[]>();
  for (const row of past) {
    const key = dayKey(row.scheduled_for ?? row.started_at, zone);
    byDay.set(key, [...(byDay.get(key) ?? []), summary(row)]);
  }

  return {
    page: pageInfo(page),
    generatedAt: now,
    overall: overallStatus(
      components.map((c) => c.status),
      active.map((i) => i.impact),
    ),
    activeIncidents: active.map(summary),
    maintenanceInProgress: maintenance.filter((m) => m.status !== "scheduled").map(summary),
    maintenanceUpcoming: maintenance.filter((m) => m.status === "scheduled").map(summary),
    sections: top.map((t) => t.section),
    pastDays: Array.from({ length: PAST_DAYS }, (_, i) => {
      const day = addDays(today, -i);
      return { day, incidents: byDay.get(day) ?? [] };
    }),
  };
}

/*
 * Incidents of the window with the components they affect. The components
 * come from one index probe per incident (a subquery per row): a join lets
 * the planner hash every incident_components row of the whole history.
 */
async function incidentSpans(db: Db, windowStart: Date, now: Date) {
  const rows = await db
    .selectFrom("incidents")
    .select([
      "incidents.id",
      "incidents.name",
      "incidents.impact",
      "incidents.started_at",
      "incidents.resolved_at",
      sql<string[]>`array(select component_id from incident_components where incident_id = incidents.id)`.as("component_ids"),
    ])
    .where("incidents.kind", "=", "incident")
    .where("incidents.started_at", ">=", new Date(windowStart.getTime() - INCIDENT_LOOKBACK_DAYS * 86_400_000))
    .where("incidents.started_at", "<=", now)
    .orderBy("incidents.started_at")
    .execute();
  const result = new Map<string, { id: string; name: string; impact: Impact; from: Date; to: Date | null }[]>();
  for (const r of rows) {
    for (const componentId of r.component_ids) {
      const list = result.get(componentId) ?? [];
      list.push({ id: r.id, name: r.name, impact: r.impact, from: r.started_at, to: r.resolved_at });
      result.set(componentId, list);
    }
  }
  return result;
}

/** Latest update (markdown rendered) and affected components for each incident, in two queries. */
async function summarize(db: Db, rows: IncidentRowLite[]): Promise<Map<string, IncidentSummary>> {
  const ids = [...new Set(rows.map((r) => r.id))];
  const result = new Map<string, IncidentSummary>();
  if (ids.length === 0) return result;
  const [latest, links] = await Promise.all([
    sql<{ incident_id: string; id: string; status: UpdateStatus; body: string; display_at: Date }>`
      select distinct on (incident_id) incident_id, id, status, body, display_at
      from incident_updates
      where incident_id in (${sql.join(ids)})
      order by incident_id, display_at desc, created_at desc
    `.execute(db),
    affectedComponents(db, ids),
  ]);
  const updates = new Map(latest.rows.map((u) => [u.incident_id, u]));
  for (const r of rows) {
    const u = updates.get(r.id);
    result.set(r.id, {
      ...incidentFields(r),
      latestUpdate: u ? { id: u.id, status: u.status, bodyHtml: renderMarkdown(u.body), displayAt: new Date(u.display_at) } : null,
      components: links.get(r.id) ?? [],
    });
  }
  return result;
}

function incidentFields(r: IncidentRowLite) {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    name: r.name,
    status: r.status,
    impact: r.impact,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    nextUpdateDueAt: r.next_update_due_at,
    scheduledFor: r.scheduled_for,
    scheduledUntil: r.scheduled_until,
    cancelled: r.cancelled_at !== null,
  };
}

export interface TimelineEntry extends UpdateView {
  changes: { componentId: string; componentName: string; oldStatus: ComponentStatus; newStatus: ComponentStatus }[];
}

export interface IncidentPageView {
  page: PageInfo;
  incident: Omit<IncidentSummary, "latestUpdate"> & {
    postmortemHtml: string | null;
    postmortemPublishedAt: Date | null;
  };
  timeline: TimelineEntry[];
}

/**
 * What the microcache checks made-up ids against (lib/runtime/microcache/public-ids.ts): every
 * incident's id (each has a public page), the live components' and groups'
 * (the history filter, feeds and badges), and how many pages /history has
 * at most (it shows the incidents that have begun).
 */
export async function publicIds(db: Db) {
  const [incidents, components, groups] = await Promise.all([
    db.selectFrom("incidents").select("id").execute(),
    db.selectFrom("components").select("id").where("archived_at", "is", null).execute(),
    db.selectFrom("component_groups").select("id").where("archived_at", "is", null).execute(),
  ]);
  return {
    incidents: incidents.map((row) => row.id),
    components: components.map((row) => row.id),
    groups: groups.map((row) => row.id),
    historyPages: Math.max(1, Math.ceil(incidents.length / HISTORY_PAGE_SIZE)),
  };
}

/** One incident or maintenance with its whole timeline, newest first; null when there is none with this id. */
export async function incidentPage(db: Db, id: string): Promise<IncidentPageView | null> {
  if (!PUBLIC_ID.test(id)) return null;
  const incident = await db
    .selectFrom("incidents")
    .select([...INCIDENT_COLUMNS, "incidents.postmortem_body", "incidents.postmortem_published_at"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!incident) return null;
  const [page, updates, changes, links] = await Promise.all([
    getPage(db),
    db
      .selectFrom("incident_updates")
      .select(["id", "status", "body", "display_at"])
      .where("incident_id", "=", id)
      .orderBy("display_at", "desc")
      .orderBy("created_at", "desc")
      .execute(),
    db
      .selectFrom("update_component_changes")
      .innerJoin("incident_updates", "incident_updates.id", "update_component_changes.update_id")
      .innerJoin("components", "components.id", "update_component_changes.component_id")
      .select([
        "update_component_changes.update_id",
        "update_component_changes.component_id",
        "components.name",
        "update_component_changes.old_status",
        "update_component_changes.new_status",
      ])
      .where("incident_updates.incident_id", "=", id)
      .orderBy("components.position")
      .execute(),
    affectedComponents(db, [id]),
  ]);
  const published = incident.postmortem_published_at !== null && incident.postmortem_body !== null;
  return {
    page: pageInfo(page),
    incident: {
      ...incidentFields(incident),
      components: links.get(id) ?? [],
      postmortemHtml: published ? renderMarkdown(incident.postmortem_body!) : null,
      postmortemPublishedAt: published ? incident.postmortem_published_at : null,
    },
    timeline: updates.map((u) => ({
      id: u.id,
      status: u.status,
      bodyHtml: renderMarkdown(u.body),
      displayAt: u.display_at,
      changes: changes
        .filter((c) => c.update_id === u.id)
        .map((c) => ({ componentId: c.component_id, componentName: c.name, oldStatus: c.old_status, newStatus: c.new_status })),
    })),
  };
}

/*
 * /history's query string. Bad values never fail the page: an unusable page
 * number means the first page, an unknown component means no filter.
 */
export const historyQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  component: z.string().regex(PUBLIC_ID).optional().catch(undefined),
});
export type HistoryQuery = z.output<typeof historyQuery>;

export interface HistoryView {
  page: PageInfo;
  pageNumber: number;
  hasNext: boolean;
  component: ComponentRef | null;
  components: (ComponentRef & { group: string | null })[];
  months: { month: string; incidents: IncidentSummary[] }[];
}

/** Incidents and maintenance that have begun, newest first, a page at a time, grouped by month in the page's zone. */
export async function historyPage(db: Db, query: HistoryQuery, now = new Date()): Promise<HistoryView> {
  const page = await getPage(db);
  const components = await db
    .selectFrom("components")
    .leftJoin("component_groups", "component_groups.id", "components.group_id")
    .select(["components.id", "components.name", "component_groups.name as group"])
    .where("components.archived_at", "is", null)
    .orderBy("component_groups.position")
    .orderBy("components.position")
    .execute();
  const component = components.find((c) => c.id === query.component) ?? null;
  let q = db
    .selectFrom("incidents")
    .select(INCIDENT_COLUMNS)
    .where(occurredAt, "<=", now)
    .orderBy(occurredAt, "desc")
    .orderBy("incidents.id", "desc")
    .limit(HISTORY_PAGE_SIZE + 1)
    .offset((query.page - 1) * HISTORY_PAGE_SIZE);
  if (component) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("incident_components")
          .select("incident_components.incident_id")
          .whereRef("incident_components.incident_id", "=", "incidents.id")
          .where("incident_components.component_id", "=", component.id),
      ),
    );
  }
  const rows = await q.execute();
  const shown = rows.slice(0, HISTORY_PAGE_SIZE);
  const summaries = await summarize(db, shown);
  const months: HistoryView["months"] = [];
  for (const row of shown) {
    const month = dayKey(row.scheduled_for ?? row.started_at, page.time_zone).slice(0, 7);
    const last = months.at(-1);
    if (last?.month === month) last.incidents.push(summaries.get(row.id)!);
    else months.push({ month, incidents: [summaries.get(row.id)!] });
  }
  return {
    page: pageInfo(page),
    pageNumber: query.page,
    hasNext: rows.length > HISTORY_PAGE_SIZE,
    component: component ? { id: component.id, name: component.name } : null,
    components: components.map((c) => ({ id: c.id, name: c.name, group: c.group })),
    months,
  };
}

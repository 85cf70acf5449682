import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { ComponentStatus, Impact, IncidentKind, UpdateStatus } from "#db/schema.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { pageOrder } from "#lib/core/page-order.ts";
import {
  OPEN_INCIDENT_STATUSES,
  OPEN_MAINTENANCE_STATUSES,
  overallStatus,
  worstComponentStatus,
  type Indicator,
  type OverallDescription,
} from "#lib/core/statuses.ts";
import { addDays, dayKey, startOfDay } from "#lib/core/time.ts";
import type { ComponentChange } from "#lib/core/timeline.ts";
import { uptimeCalendar, type UptimeDay } from "#lib/core/uptime.ts";
import { affectedComponents, listComponents, listGroups } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { loadTimeline } from "#lib/domain/timeline.ts";
import { componentUptimes } from "#lib/domain/uptime-rollups.ts";
import { publicMetrics, type PublicMetric } from "./metrics.ts";
import { HISTORY_PAGE_SIZE } from "./history.ts";
import {
  INCIDENT_COLUMNS,
  occurredAt,
  pageInfo,
  summarize,
  summaryFields,
  type IncidentRowLite,
  type IncidentSummary,
  type PageInfo,
  type UpdateView,
} from "./summaries.ts";

/*
 * The public read model of `/` and /incidents/[id]: plain async queries that
 * return what the pages render, already shaped (markdown rendered, uptime
 * computed). Every query is bounded so the pages stay fast with years of
 * history: uptime's complete days from a rollup and only the status changes
 * since (lib/domain/uptime-rollups.ts), 14 days of incidents. /history is
 * lib/public/history.ts; the parts they share, lib/public/summaries.ts.
 */
export type { ComponentStatus, Impact, IncidentKind, UpdateStatus, UptimeDay };

export const PAST_DAYS = 14;
// Incidents that began this long before the uptime window still label its first days.
const INCIDENT_LOOKBACK_DAYS = 7;

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
  /** System metrics shown under the components (./metrics.ts). */
  metrics: PublicMetric[];
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
  const [uptimes, summaries, metrics] = await Promise.all([
    componentUptimes(
      db,
      visible.filter((c) => c.showcase).map((c) => c.id),
      { now, zone, incidents },
    ),
    summarize(db, [...active, ...maintenance, ...past]),
    publicMetrics(db, now),
  ]);
  const summary = (row: IncidentRowLite) => summaries.get(row.id)!;

  const views = new Map<string, ComponentView>();
  for (const c of visible) {
    views.set(c.id, { id: c.id, name: c.name, description: c.description, status: c.status, uptime: uptimes.get(c.id) ?? null });
  }

  const sections: Section[] = [];
  for (const row of pageOrder(components, groups)) {
    if (row.kind === "component") {
      const view = views.get(row.component.id);
      if (view) sections.push({ kind: "component", component: view });
      continue;
    }
    const shown = row.children.map((c) => views.get(c.id)).filter((v): v is ComponentView => v !== undefined);
    if (shown.length === 0) continue;
    const { id, name, description } = row.group;
    sections.push({ kind: "group", id, name, description, status: worstComponentStatus(row.children.map((c) => c.status)), components: shown });
  }

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
    sections,
    pastDays: Array.from({ length: PAST_DAYS }, (_, i) => {
      const day = addDays(today, -i);
      return { day, incidents: byDay.get(day) ?? [] };
    }),
    metrics,
  };
}

/*
 * Incidents of the window with the components they affect (also /uptime's,
 * lib/public/uptime-page.ts). The components come from one index probe per
 * incident (a subquery per row): a join lets the planner hash every
 * incident_components row of the whole history.
 */
export async function incidentSpans(db: Db, windowStart: Date, now: Date) {
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

export interface IncidentPageView {
  page: PageInfo;
  incident: Omit<IncidentSummary, "latestUpdate"> & {
    postmortemHtml: string | null;
    postmortemPublishedAt: Date | null;
  };
  /** Newest first, each update with the component changes it recorded. */
  timeline: (UpdateView & { changes: ComponentChange[] })[];
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
  const [page, updates, links] = await Promise.all([getPage(db), loadTimeline(db, id), affectedComponents(db, [id])]);
  const published = incident.postmortem_published_at !== null && incident.postmortem_body !== null;
  return {
    page: pageInfo(page),
    incident: {
      ...summaryFields(incident),
      components: links.get(id) ?? [],
      postmortemHtml: published ? renderMarkdown(incident.postmortem_body!) : null,
      postmortemPublishedAt: published ? incident.postmortem_published_at : null,
    },
    timeline: updates.map((u) => ({ id: u.id, status: u.status, bodyHtml: renderMarkdown(u.body), displayAt: u.display_at, changes: u.changes })),
  };
}

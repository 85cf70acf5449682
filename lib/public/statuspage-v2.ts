import type { Db } from "#db/client.ts";
import type { ComponentGroupRow, IncidentRow, MaintenanceStatus, Page } from "#db/schema.ts";
import { incidentUrl, pageUrl } from "#lib/core/page-url.ts";
import { pageOrder } from "#lib/core/page-order.ts";
import {
  ACTIVE_MAINTENANCE_STATUSES,
  OPEN_INCIDENT_STATUSES,
  overallStatus,
  UPCOMING_MAINTENANCE_STATUSES,
  worstComponentStatus,
} from "#lib/core/statuses.ts";
import { rfc3339 } from "#lib/core/time.ts";
import type { TimelineUpdate } from "#lib/core/timeline.ts";
import { affectedComponents, listComponents, listGroups, type ComponentWithStatus } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { loadTimelines } from "#lib/domain/timeline.ts";
import { publicMetrics, serializeMetric } from "./metrics.ts";

/*
 * Atlassian Statuspage's public "Status API v2" (docs/machine-endpoints.md):
 * one query that loads everything the machine endpoints need (the snapshot),
 * and pure serializers that turn it into the exact payloads, key order and
 * null-vs-missing included. Feeds, calendar and badges read the same snapshot.
 */

/** Lists are capped like Statuspage's: "the 50 most recent". */
export const LIST_LIMIT = 50;

const UNRESOLVED: readonly IncidentRow["status"][] = OPEN_INCIDENT_STATUSES;
const UPCOMING: readonly MaintenanceStatus[] = UPCOMING_MAINTENANCE_STATUSES;
const ACTIVE: readonly MaintenanceStatus[] = ACTIVE_MAINTENANCE_STATUSES;

/*
 * The snapshot is the result of a "use cache" function, and every "use cache"
 * function can also be called from outside as a server action by its id
 * (proxy.ts refuses that; this is the second line). So it holds only what the
 * public endpoints publish, column by column: no sender address or cadence,
 * no severity or scheduling internals, no update authors, no draft
 * postmortem, no archived rows.
 */
export type PublicPage = Pick<Page, "id" | "name" | "url" | "time_zone" | "updated_at" | "default_locale" | "locales">;
export type PublicComponent = Pick<
  ComponentWithStatus,
  "id" | "group_id" | "name" | "description" | "position" | "showcase" | "only_show_if_degraded" | "start_date" | "created_at" | "updated_at" | "status"
>;
export type PublicGroup = Pick<ComponentGroupRow, "id" | "name" | "description" | "position" | "created_at" | "updated_at">;

export const INCIDENT_COLUMNS = [
  "id",
  "kind",
  "name",
  "status",
  "impact",
  "started_at",
  "created_at",
  "updated_at",
  "monitoring_at",
  "resolved_at",
  "scheduled_for",
  "scheduled_until",
  "cancelled_at",
  "sequence",
  "postmortem_body",
  "postmortem_published_at",
] as const;
export type PublicIncident = Pick<IncidentRow, (typeof INCIDENT_COLUMNS)[number]>;

export interface Timeline extends PublicIncident {
  /** Newest first (display time, then creation). */
  updates: TimelineUpdate[];
  /** In page order. */
  componentIds: string[];
}

export interface Snapshot {
  page: PublicPage;
  components: PublicComponent[];
  groups: PublicGroup[];
  /** Newest first by creation, the 50 most recent plus every unresolved one. */
  incidents: Timeline[];
  /** Newest window first, the 50 most recent plus every upcoming or active one. */
  maintenances: Timeline[];
}

/* ------------------------------------------------------------------ query */

/** Everything the machine endpoints serve, in one read. */
export async function loadSnapshot(db: Db): Promise<Snapshot> {
  const incidents = () => db.selectFrom("incidents").select(INCIDENT_COLUMNS);
  const [[page, components, groups], recentIncidents, openIncidents, recentMaintenances, openMaintenances] = await Promise.all([
    publicBasics(db),
    incidents().where("kind", "=", "incident").orderBy("created_at", "desc").orderBy("id").limit(LIST_LIMIT).execute(),
    incidents().where("kind", "=", "incident").where("status", "in", UNRESOLVED).execute(),
    incidents().where("kind", "=", "maintenance").orderBy("scheduled_for", "desc").orderBy("id").limit(LIST_LIMIT).execute(),
    incidents().where("kind", "=", "maintenance").where("status", "in", [...UPCOMING, ...ACTIVE]).execute(),
  ]);
  const incidentRows = uniqueById([...recentIncidents, ...openIncidents]).sort(byCreatedDesc);
  const maintenanceRows = uniqueById([...recentMaintenances, ...openMaintenances]).sort(byWindowDesc);
  const timelines = await withTimelines(db, [...incidentRows, ...maintenanceRows]);
  return {
    page,
    components,
    groups,
    incidents: incidentRows.map((i) => timelines.get(i.id)!),
    maintenances: maintenanceRows.map((m) => timelines.get(m.id)!),
  };
}

/** One incident or maintenance with its timeline, or null when there is none with that id. */
export async function loadIncident(db: Db, id: string): Promise<{ snapshot: Snapshot; incident: Timeline } | null> {
  const row = await db.selectFrom("incidents").select(INCIDENT_COLUMNS).where("id", "=", id).executeTakeFirst();
  if (!row) return null;
  const [[page, components, groups], timelines] = await Promise.all([publicBasics(db), withTimelines(db, [row])]);
  return { snapshot: { page, components, groups, incidents: [], maintenances: [] }, incident: timelines.get(row.id)! };
}

/** The page, components and groups, each narrowed to its published columns. */
export async function publicBasics(db: Db): Promise<[PublicPage, PublicComponent[], PublicGroup[]]> {
  const [page, components, groups] = await Promise.all([getPage(db), listComponents(db), listGroups(db)]);
  return [
    { id: page.id, name: page.name, url: page.url, time_zone: page.time_zone, updated_at: page.updated_at, default_locale: page.default_locale, locales: page.locales },
    components.map((c) => ({
      id: c.id,
      group_id: c.group_id,
      name: c.name,
      description: c.description,
      position: c.position,
      showcase: c.showcase,
      only_show_if_degraded: c.only_show_if_degraded,
      start_date: c.start_date,
      created_at: c.created_at,
      updated_at: c.updated_at,
      status: c.status,
    })),
    groups.map((g) => ({ id: g.id, name: g.name, description: g.description, position: g.position, created_at: g.created_at, updated_at: g.updated_at })),
  ];
}

/** The rows with their timelines and components; a postmortem is public once published, the draft stays in the admin area. */
export async function withTimelines(db: Db, rows: PublicIncident[]): Promise<Map<string, Timeline>> {
  const ids = rows.map((r) => r.id);
  const [updates, components] = await Promise.all([loadTimelines(db, ids), affectedComponents(db, ids)]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        ...r,
        postmortem_body: r.postmortem_published_at ? r.postmortem_body : null,
        updates: updates.get(r.id)!,
        componentIds: (components.get(r.id) ?? []).map((c) => c.id),
      },
    ]),
  );
}

function uniqueById(rows: PublicIncident[]): PublicIncident[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

function byCreatedDesc(a: PublicIncident, b: PublicIncident) {
  return b.created_at.getTime() - a.created_at.getTime() || a.id.localeCompare(b.id);
}

function byWindowDesc(a: PublicIncident, b: PublicIncident) {
  return (b.scheduled_for?.getTime() ?? 0) - (a.scheduled_for?.getTime() ?? 0) || a.id.localeCompare(b.id);
}

/* ------------------------------------------------------------ serializers */

export function latestChange(page: PublicPage, components: PublicComponent[], groups: PublicGroup[], incidents: PublicIncident[]): Date {
  let latest = page.updated_at.getTime();
  for (const x of [...components, ...groups, ...incidents]) latest = Math.max(latest, x.updated_at.getTime());
  return new Date(latest);
}

export function serializePage(s: Snapshot) {
  const zone = s.page.time_zone;
  return {
    id: s.page.id,
    name: s.page.name,
    url: pageUrl(s.page.url),
    time_zone: zone,
    updated_at: rfc3339(latestChange(s.page, s.components, s.groups, [...s.incidents, ...s.maintenances]), zone),
  };
}

export function serializeComponent(c: PublicComponent, page: PublicPage) {
  const zone = page.time_zone;
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    created_at: rfc3339(c.created_at, zone),
    updated_at: rfc3339(c.updated_at, zone),
    position: c.position,
    description: c.description,
    showcase: c.showcase,
    start_date: c.start_date,
    group_id: c.group_id,
    page_id: page.id,
    group: false,
    only_show_if_degraded: c.only_show_if_degraded,
  };
}

/** A group as Statuspage lists it: a component row with `group: true`, the worst child status and its children's ids. */
export function serializeGroup(g: PublicGroup, children: PublicComponent[], page: PublicPage) {
  const zone = page.time_zone;
  const updated = Math.max(g.updated_at.getTime(), ...children.map((c) => c.updated_at.getTime()));
  return {
    id: g.id,
    name: g.name,
    status: worstComponentStatus(children.map((c) => c.status)),
    created_at: rfc3339(g.created_at, zone),
    updated_at: rfc3339(new Date(updated), zone),
    position: g.position,
    description: g.description,
    showcase: false,
    start_date: null,
    group_id: null,
    page_id: page.id,
    group: true,
    only_show_if_degraded: false,
    components: children.map((c) => c.id),
  };
}

export function serializeComponents(s: Snapshot) {
  return pageOrder(s.components, s.groups).flatMap((row) =>
    row.kind === "group"
      ? [serializeGroup(row.group, row.children, s.page), ...row.children.map((c) => serializeComponent(c, s.page))]
      : [serializeComponent(row.component, s.page)],
  );
}

export function serializeUpdate(u: TimelineUpdate, page: PublicPage) {
  const zone = page.time_zone;
  return {
    id: u.id,
    status: u.status,
    body: u.body,
    incident_id: u.incident_id,
    created_at: rfc3339(u.created_at, zone),
    updated_at: rfc3339(u.updated_at, zone),
    display_at: rfc3339(u.display_at, zone),
    affected_components:
      u.changes.length === 0
        ? null
        : u.changes.map((c) => ({
            code: c.component_id,
            // Statuspage names a grouped component "Group - Child" here.
            name: c.group_name ? `${c.group_name} - ${c.component_name}` : c.component_name,
            old_status: c.old_status,
            new_status: c.new_status,
          })),
    deliver_notifications: u.notify,
    custom_tweet: null,
    tweet_id: null,
  };
}

export function serializeIncident(t: Timeline, s: Pick<Snapshot, "page" | "components">) {
  const zone = s.page.time_zone;
  const byId = new Map(s.components.map((c) => [c.id, c]));
  const base = {
    id: t.id,
    name: t.name,
    status: t.status,
    created_at: rfc3339(t.created_at, zone),
    updated_at: rfc3339(t.updated_at, zone),
    monitoring_at: t.monitoring_at ? rfc3339(t.monitoring_at, zone) : null,
    resolved_at: t.resolved_at ? rfc3339(t.resolved_at, zone) : null,
    impact: t.impact,
    // Statuspage's shortlink points at a shortener, ours at the page itself.
    shortlink: incidentUrl(s.page.url, t.id),
    started_at: rfc3339(t.started_at, zone),
    page_id: s.page.id,
    incident_updates: t.updates.map((u) => serializeUpdate(u, s.page)),
    components: t.componentIds.flatMap((id) => {
      const c = byId.get(id);
      return c ? [serializeComponent(c, s.page)] : [];
    }),
    reminder_intervals: null,
  };
  if (t.kind !== "maintenance") return base;
  return {
    ...base,
    scheduled_for: rfc3339(t.scheduled_for!, zone),
    scheduled_until: rfc3339(t.scheduled_until!, zone),
  };
}

export function statusOf(s: Snapshot) {
  const unresolved = s.incidents.filter((i) => UNRESOLVED.includes(i.status)).map((i) => i.impact);
  return overallStatus(
    s.components.map((c) => c.status),
    unresolved,
  );
}

const isUnresolved = (t: Timeline) => UNRESOLVED.includes(t.status);
const isUpcoming = (t: Timeline) => (UPCOMING as readonly string[]).includes(t.status);
const isActive = (t: Timeline) => (ACTIVE as readonly string[]).includes(t.status);

/* --------------------------------------------------------------- payloads */

/** A list endpoint's items: the newest LIST_LIMIT, serialized. */
const listed = (s: Snapshot, items: Timeline[]) => items.slice(0, LIST_LIMIT).map((t) => serializeIncident(t, s));

export const ENDPOINTS = {
  "status.json": (s: Snapshot) => ({ page: serializePage(s), status: statusOf(s) }),
  "summary.json": (s: Snapshot) => ({
    page: serializePage(s),
    components: serializeComponents(s),
    incidents: s.incidents.filter(isUnresolved).map((i) => serializeIncident(i, s)),
    scheduled_maintenances: s.maintenances.filter((m) => isUpcoming(m) || isActive(m)).map((m) => serializeIncident(m, s)),
    status: statusOf(s),
  }),
  "components.json": (s: Snapshot) => ({ page: serializePage(s), components: serializeComponents(s) }),
  "incidents.json": (s: Snapshot) => ({ page: serializePage(s), incidents: listed(s, s.incidents) }),
  "incidents/unresolved.json": (s: Snapshot) => ({ page: serializePage(s), incidents: listed(s, s.incidents.filter(isUnresolved)) }),
  "scheduled-maintenances.json": (s: Snapshot) => ({ page: serializePage(s), scheduled_maintenances: listed(s, s.maintenances) }),
  "scheduled-maintenances/upcoming.json": (s: Snapshot) => ({
    page: serializePage(s),
    scheduled_maintenances: listed(s, s.maintenances.filter(isUpcoming)),
  }),
  "scheduled-maintenances/active.json": (s: Snapshot) => ({
    page: serializePage(s),
    scheduled_maintenances: listed(s, s.maintenances.filter(isActive)),
  }),
} as const;

export type EndpointPath = keyof typeof ENDPOINTS;

export function isEndpointPath(path: string): path is EndpointPath {
  return Object.hasOwn(ENDPOINTS, path);
}

/** `incidents/<id>.json`: one incident or maintenance with its postmortem, the widely used undocumented endpoint. */
export function incidentPayload(s: Snapshot, t: Timeline) {
  const zone = s.page.time_zone;
  return {
    page: serializePage({ ...s, incidents: [t] }),
    incident: {
      ...serializeIncident(t, s),
      postmortem_body: t.postmortem_body,
      postmortem_published_at: t.postmortem_published_at ? rfc3339(t.postmortem_published_at, zone) : null,
    },
  };
}

export const INCIDENT_PATH = /^incidents\/([a-z0-9]{12})\.json$/;

/** Candor's system metrics in the same style (Statuspage's public API has none). */
export const METRICS_PATH = "metrics.json";

/** Whether a path can name a resource at all; anything else is a 404 without touching the cache. */
export function isStatuspagePath(path: string): boolean {
  return isEndpointPath(path) || INCIDENT_PATH.test(path) || path === METRICS_PATH;
}

/** The payload for an /api/v2 path (without the prefix), or null when there is no such resource. */
export async function statuspagePayload(db: Db, path: string): Promise<object | null> {
  if (isEndpointPath(path)) return ENDPOINTS[path](await loadSnapshot(db));
  if (path === METRICS_PATH) {
    const [s, metrics] = await Promise.all([loadSnapshot(db), publicMetrics(db)]);
    return { page: serializePage(s), metrics: metrics.map((m) => serializeMetric(m, s.page.time_zone)) };
  }
  const match = INCIDENT_PATH.exec(path);
  if (!match) return null;
  const found = await loadIncident(db, match[1]);
  return found ? incidentPayload(found.snapshot, found.incident) : null;
}

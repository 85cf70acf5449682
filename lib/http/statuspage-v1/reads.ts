import { z } from "zod";
import type { Db } from "#db/client.ts";
import { ACTIVE_MAINTENANCE_STATUSES, OPEN_INCIDENT_STATUSES, UPCOMING_MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";
import { notFound } from "#lib/core/errors.ts";
import { readEmbedConfig, readMetrics } from "./metrics.ts";
import { parseQuery } from "./bodies.ts";
import { pageOrder } from "#lib/core/page-order.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { INCIDENT_COLUMNS, publicBasics, withTimelines, type PublicComponent, type PublicGroup, type PublicPage } from "#lib/public/statuspage-v2.ts";
import { readPostmortem } from "./postmortems.ts";
import { readSubscribers } from "./subscribers.ts";
import { readTemplates } from "./templates.ts";
import { readUptime } from "./uptime.ts";
import { presentComponent, presentGroup, presentIncident, presentPage } from "./presenters.ts";

/*
 * The read endpoints of Statuspage's v1 API, by path below
 * /pages/{page_id}: the page, components and groups through /api/v2's
 * loaders, incident lists paged the way Statuspage pages them.
 */

interface Basics {
  page: PublicPage;
  components: PublicComponent[];
  groups: PublicGroup[];
}

const pageNumber = z.coerce.number().int().min(1).default(1);
// Incidents: `limit` + `page`; the status lists: `page` + `per_page`; both at most 100.
export const incidentQuery = z.object({ q: z.string().max(255).optional(), limit: z.coerce.number().int().min(1).max(100).default(100), page: pageNumber });
export const listQuery = z.object({ per_page: z.coerce.number().int().min(1).max(100).default(100), page: pageNumber });

const SELECTION = [...INCIDENT_COLUMNS, "scheduled_auto_transition", "scheduled_remind_prior", "impact_override", "metadata", "postmortem_draft_updated_at"] as const;

type Filter = "all" | "unresolved" | "upcoming" | "scheduled" | "active_maintenance";

/** One page of incidents and maintenances, newest first, as v1 incident objects. */
async function incidents(db: Db, basics: Basics, filter: Filter, options: { q?: string; limit: number; offset: number; id?: string }) {
  let select = db.selectFrom("incidents").select(SELECTION);
  if (options.id) select = select.where("id", "=", options.id);
  if (filter === "unresolved") select = select.where("kind", "=", "incident").where("status", "in", OPEN_INCIDENT_STATUSES);
  if (filter === "upcoming" || filter === "scheduled") select = select.where("kind", "=", "maintenance").where("status", "in", UPCOMING_MAINTENANCE_STATUSES);
  if (filter === "active_maintenance") select = select.where("kind", "=", "maintenance").where("status", "in", ACTIVE_MAINTENANCE_STATUSES);
  if (options.q) select = select.where("name", "ilike", `%${options.q.replace(/[\\%_]/g, "\\$&")}%`);
  const rows = await select.orderBy("created_at", "desc").orderBy("id").limit(options.limit).offset(options.offset).execute();
  const timelines = await withTimelines(db, rows);
  return rows.map((r) => presentIncident(timelines.get(r.id)!, basics, r));
}

/** The answer for `rest`, the path segments after /pages/{page_id}; null when no such endpoint exists. */
export async function readStatuspageV1(db: Db, pageId: string, rest: string[], query: URLSearchParams): Promise<object | null> {
  const [page, components, groups] = await publicBasics(db);
  if (pageId !== page.id) throw notFound("page");
  const basics = { page, components, groups };
  const [resource, id, more] = rest;
  if (rest.length === 3 && resource === "incidents" && more === "postmortem") return readPostmortem(db, id, page.time_zone);
  if (rest.length === 3 && resource === "components" && more === "uptime") {
    const c = components.find((x) => x.id === id);
    if (!c) throw notFound("component");
    return readUptime(db, c, page.time_zone, query);
  }
  if (more !== undefined) return null;
  if (resource === "subscribers") return readSubscribers(db, id, query, components, page.time_zone);
  if (resource === "incident_templates" && id === undefined) return readTemplates(db, query);
  if (resource === "metrics") return readMetrics(db, page.id, page.time_zone, id);
  if (resource === "status_embed_config" && id === undefined) return readEmbedConfig(db, page.id, page.time_zone);

  if (resource === undefined) {
    const settings = await getPage(db);
    return presentPage(page, { created_at: settings.created_at, support_url: settings.support_url });
  }
  if (resource === "components") {
    if (id !== undefined) {
      const c = components.find((x) => x.id === id);
      if (!c) throw notFound("component");
      return presentComponent(c, page);
    }
    const { per_page, page: n } = parseQuery(listQuery, query);
    // Page order: a group's children follow its position, loose components theirs.
    const ordered = pageOrder(components, groups).flatMap((row) => (row.kind === "group" ? row.children : [row.component]));
    return ordered.slice((n - 1) * per_page, n * per_page).map((c) => presentComponent(c, page));
  }
  if (resource === "component-groups") {
    const childrenOf = (g: PublicGroup) => components.filter((c) => c.group_id === g.id);
    if (id !== undefined) {
      const g = groups.find((x) => x.id === id);
      if (!g) throw notFound("component group");
      return presentGroup(g, childrenOf(g), page);
    }
    const { per_page, page: n } = parseQuery(listQuery, query);
    return groups.slice((n - 1) * per_page, n * per_page).map((g) => presentGroup(g, childrenOf(g), page));
  }
  if (resource === "incidents") {
    if (id === undefined) {
      const { q, limit, page: n } = parseQuery(incidentQuery, query);
      return incidents(db, basics, "all", { q, limit, offset: (n - 1) * limit });
    }
    if (id === "unresolved" || id === "upcoming" || id === "scheduled" || id === "active_maintenance") {
      const { per_page, page: n } = parseQuery(listQuery, query);
      return incidents(db, basics, id, { limit: per_page, offset: (n - 1) * per_page });
    }
    const [found] = await incidents(db, basics, "all", { id, limit: 1, offset: 0 });
    if (!found) throw notFound("incident");
    return found;
  }
  return null;
}

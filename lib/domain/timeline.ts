import type { Db, Tx } from "#db/client.ts";
import type { ComponentChange, TimelineUpdate } from "#lib/core/timeline.ts";
import { inPageOrder } from "./page-order.ts";

/*
 * The one loader of incident timelines: the updates of a set of incidents
 * with the component changes each recorded, in two queries run side by side.
 * The status page, /api/v2 and its feeds, /api/v1, emails and the admin all
 * read timelines through it, in the shape lib/core/timeline.ts defines.
 */

export type { ComponentChange, TimelineUpdate };

/** An update with its author: for the admin and the management API, never the public snapshot. */
export type AuthoredUpdate = TimelineUpdate & { created_by: string };

export interface TimelineOptions {
  /** Only updates written by then: the timeline as it stood when an email's update was posted. */
  writtenBy?: Date;
  /** Include each update's author. */
  authors?: boolean;
}

/** Each incident's updates, newest first (display time, then writing time), with their changes in page order. */
export function loadTimelines(db: Db | Tx, incidentIds: string[], options: TimelineOptions & { authors: true }): Promise<Map<string, AuthoredUpdate[]>>;
export function loadTimelines(db: Db | Tx, incidentIds: string[], options?: TimelineOptions): Promise<Map<string, TimelineUpdate[]>>;
export async function loadTimelines(db: Db | Tx, incidentIds: string[], options: TimelineOptions = {}): Promise<Map<string, TimelineUpdate[]>> {
  const timelines = new Map<string, TimelineUpdate[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return timelines;
  let updates = db
    .selectFrom("incident_updates")
    .select(["id", "incident_id", "status", "body", "display_at", "created_at", "updated_at", "notify"])
    .$if(options.authors === true, (q) => q.select("created_by"))
    .where("incident_id", "in", incidentIds);
  let changes = db
    .selectFrom("update_component_changes")
    .innerJoin("incident_updates", "incident_updates.id", "update_component_changes.update_id")
    .innerJoin("components", "components.id", "update_component_changes.component_id")
    .leftJoin("component_groups", (join) =>
      join.onRef("component_groups.id", "=", "components.group_id").on("component_groups.archived_at", "is", null),
    )
    .select([
      "update_component_changes.update_id",
      "update_component_changes.component_id",
      "components.name as component_name",
      "component_groups.name as group_name",
      "update_component_changes.old_status",
      "update_component_changes.new_status",
    ])
    .where("incident_updates.incident_id", "in", incidentIds);
  if (options.writtenBy) {
    updates = updates.where("created_at", "<=", options.writtenBy);
    changes = changes.where("incident_updates.created_at", "<=", options.writtenBy);
  }
  const [updateRows, changeRows] = await Promise.all([
    updates.orderBy("display_at", "desc").orderBy("created_at", "desc").orderBy("id", "desc").execute(),
    inPageOrder(changes).execute(),
  ]);
  const byUpdate = new Map<string, ComponentChange[]>();
  for (const { update_id, ...change } of changeRows) {
    const list = byUpdate.get(update_id);
    if (list) list.push(change);
    else byUpdate.set(update_id, [change]);
  }
  for (const u of updateRows) timelines.get(u.incident_id)!.push({ ...u, changes: byUpdate.get(u.id) ?? [] });
  return timelines;
}

/** One incident's timeline. */
export async function loadTimeline(db: Db | Tx, incidentId: string, options: TimelineOptions & { authors: true }): Promise<AuthoredUpdate[]>;
export async function loadTimeline(db: Db | Tx, incidentId: string, options?: TimelineOptions): Promise<TimelineUpdate[]>;
export async function loadTimeline(db: Db | Tx, incidentId: string, options: TimelineOptions = {}): Promise<TimelineUpdate[]> {
  return (await loadTimelines(db, [incidentId], options)).get(incidentId)!;
}

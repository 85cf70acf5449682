import { sql } from "kysely";
import { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import type { ComponentStatus } from "../db/schema.ts";
import { requireRole, type Actor } from "./actors.ts";
import { recordAudit } from "./audit.ts";
import { invalidatePublic } from "./cache.ts";
import { NotFoundError, parseInput } from "./errors.ts";
import { publicId } from "./ids.ts";
import { COMPONENT_STATUSES } from "./statuses.ts";

export const componentStatusSchema = z.enum(COMPONENT_STATUSES);

const name = z.string().trim().min(1, "is required").max(200, "is at most 200 characters");
const description = z.string().trim().max(1000, "is at most 1000 characters").nullish();

export const groupInput = z.object({ name, description });

export const componentInput = z.object({
  name,
  description,
  groupId: z.string().regex(/^[a-z0-9]{12}$/, "is not a group id").nullish(),
  showcase: z.boolean().default(true),
  onlyShowIfDegraded: z.boolean().default(false),
  startDate: z.iso.date("must be a date (YYYY-MM-DD)").nullish(),
  status: componentStatusSchema.default("operational"),
  /** Backdating, for seeding history; defaults to now. */
  createdAt: z.coerce.date().optional(),
});

export const statusChangeInput = z.object({
  componentId: z.string().min(1, "is required"),
  status: componentStatusSchema,
  at: z.coerce.date().optional(),
});

export async function createGroup(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const data = parseInput(groupInput, input);
  return db.transaction().execute(async (trx) => {
    const position = (await maxPosition(trx, null)) + 1;
    const group = await trx
      .insertInto("component_groups")
      .values({ id: publicId(), name: data.name, description: data.description ?? null, position })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: "group.create", subjectType: "group", subjectId: group.id, after: group });
    return group;
  }).finally(invalidatePublic);
}

export async function createComponent(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const data = parseInput(componentInput, input);
  const at = data.createdAt ?? new Date();
  return db
    .transaction()
    .execute(async (trx) => {
      if (data.groupId) await requireGroup(trx, data.groupId);
      const position = (await maxPosition(trx, data.groupId ?? null)) + 1;
      const component = await trx
        .insertInto("components")
        .values({
          id: publicId(),
          group_id: data.groupId ?? null,
          name: data.name,
          description: data.description ?? null,
          position,
          showcase: data.showcase,
          only_show_if_degraded: data.onlyShowIfDegraded,
          start_date: data.startDate ?? null,
          created_at: at,
          updated_at: at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Every component starts with a recorded status, so current status and uptime derive from history.
      await trx
        .insertInto("component_status_changes")
        .values({ component_id: component.id, status: data.status, at, incident_id: null, update_id: null })
        .execute();
      await recordAudit(trx, actor, {
        action: "component.create",
        subjectType: "component",
        subjectId: component.id,
        after: { ...component, status: data.status },
      });
      return { ...component, status: data.status };
    })
    .finally(invalidatePublic);
}

/** Change a component's status outside an incident. */
export async function changeComponentStatus(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const data = parseInput(statusChangeInput, input);
  return db
    .transaction()
    .execute(async (trx) => {
      const [before] = await currentStatuses(trx, [data.componentId]);
      if (!before) throw new NotFoundError("component");
      await recordStatusChange(trx, { componentId: data.componentId, status: data.status, at: data.at ?? new Date() });
      await recordAudit(trx, actor, {
        action: "component.status",
        subjectType: "component",
        subjectId: data.componentId,
        before: { status: before.status },
        after: { status: data.status },
      });
      return { componentId: data.componentId, oldStatus: before.status, newStatus: data.status };
    })
    .finally(invalidatePublic);
}

/*
 * Positions are per level, as Statuspage's: groups and top-level components
 * share the top level; a group's children restart at 1.
 */
async function maxPosition(trx: Tx, groupId: string | null): Promise<number> {
  const inLevel = await trx
    .selectFrom("components")
    .select((eb) => eb.fn.max("position").as("max"))
    .where((eb) => (groupId ? eb("group_id", "=", groupId) : eb("group_id", "is", null)))
    .executeTakeFirstOrThrow();
  if (groupId) return inLevel.max ?? 0;
  const groups = await trx
    .selectFrom("component_groups")
    .select((eb) => eb.fn.max("position").as("max"))
    .executeTakeFirstOrThrow();
  return Math.max(inLevel.max ?? 0, groups.max ?? 0);
}

export async function requireGroup(trx: Tx | Db, id: string) {
  const group = await trx.selectFrom("component_groups").selectAll().where("id", "=", id).executeTakeFirst();
  if (!group) throw new NotFoundError("group");
  return group;
}

/** Records one status change; the component's current status is always its latest change. */
export async function recordStatusChange(
  trx: Tx,
  change: { componentId: string; status: ComponentStatus; at: Date; incidentId?: string; updateId?: string },
) {
  await trx
    .insertInto("component_status_changes")
    .values({
      component_id: change.componentId,
      status: change.status,
      at: change.at,
      incident_id: change.incidentId ?? null,
      update_id: change.updateId ?? null,
    })
    .execute();
  await trx.updateTable("components").set({ updated_at: new Date() }).where("id", "=", change.componentId).execute();
}

const latestStatus = sql<ComponentStatus>`coalesce((
  select s.status from component_status_changes s
  where s.component_id = components.id
  order by s.at desc, s.id desc limit 1
), 'operational')`;

/** Current status of the given components (derived from their latest recorded change). */
export async function currentStatuses(trx: Tx | Db, ids: string[]) {
  if (ids.length === 0) return [];
  return trx
    .selectFrom("components")
    .select(["id", "name", "group_id", latestStatus.as("status")])
    .where("id", "in", ids)
    .where("archived_at", "is", null)
    .execute();
}

/** All live components with their current status, in page order. */
export async function listComponents(db: Db | Tx) {
  return db
    .selectFrom("components")
    .selectAll()
    .select(latestStatus.as("status"))
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}

export async function listGroups(db: Db | Tx) {
  return db
    .selectFrom("component_groups")
    .selectAll()
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .execute();
}

export type ComponentWithStatus = Awaited<ReturnType<typeof listComponents>>[number];

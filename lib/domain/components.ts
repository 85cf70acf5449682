import { sql } from "kysely";
import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { ComponentStatus } from "#db/schema.ts";
import type { Actor } from "./actors.ts";
import { notFound } from "#lib/core/errors.ts";
import { dateField, dateTimeField, publicIdField, text } from "#lib/core/forms.ts";
import { PUBLIC_ID, publicId } from "#lib/core/ids.ts";
import { byPosition } from "#lib/core/page-order.ts";
import { inPageOrder } from "./page-order.ts";
import { COMPONENT_STATUSES } from "#lib/core/statuses.ts";
import { write } from "./write.ts";
import { enqueueComponentChange } from "#lib/delivery/enqueue.ts";

export const componentStatusSchema = z.enum(COMPONENT_STATUSES);

const name = text({ max: 200 });
const description = text({ max: 1000, multiline: true, required: false }).nullish();
const groupIdField = publicIdField("group");
const componentIdField = publicIdField("component");

export const groupInput = z.object({ name, description });

export const componentInput = z.object({
  name,
  description,
  groupId: groupIdField.nullish(),
  showcase: z.boolean().default(true),
  onlyShowIfDegraded: z.boolean().default(false),
  startDate: dateField.nullish(),
  status: componentStatusSchema.default("operational"),
  /** Backdating, for seeding history; defaults to now. */
  createdAt: dateTimeField.optional(),
});

export const statusChangeInput = z.object({
  componentId: componentIdField,
  status: componentStatusSchema,
  at: dateTimeField.optional(),
});

export async function createGroup(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: groupInput,
    public: true,
    async change(trx, data) {
      const position = (await maxPosition(trx, null)) + 1;
      const group = await trx
        .insertInto("component_groups")
        .values({ id: publicId(), name: data.name, description: data.description || null, position })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: group, audit: { action: "group.create", subjectType: "group", subjectId: group.id, after: group } };
    },
  });
}

export async function createComponent(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: componentInput,
    public: true,
    async change(trx, data) {
      const at = data.createdAt ?? new Date();
      if (data.groupId) await requireGroup(trx, data.groupId);
      const position = (await maxPosition(trx, data.groupId ?? null)) + 1;
      const component = await trx
        .insertInto("components")
        .values({
          id: publicId(),
          group_id: data.groupId ?? null,
          name: data.name,
          description: data.description || null,
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
      const created = { ...component, status: data.status };
      return { result: created, audit: { action: "component.create", subjectType: "component", subjectId: component.id, after: created } };
    },
  });
}

/** Change a component's status outside an incident. */
export async function changeComponentStatus(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: statusChangeInput,
    public: true,
    async change(trx, data) {
      const [before] = await currentStatuses(trx, [data.componentId]);
      if (!before) throw notFound("component");
      await recordStatusChange(trx, { componentId: data.componentId, status: data.status, at: data.at ?? new Date() });
      return {
        result: { componentId: data.componentId, oldStatus: before.status, newStatus: data.status },
        audit: {
          action: "component.status",
          subjectType: "component",
          subjectId: data.componentId,
          before: { status: before.status },
          after: { status: data.status },
        },
      };
    },
  });
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
  if (!group) throw notFound("group");
  return group;
}

/** Records one status change; the component's current status is always its latest change. */
export async function recordStatusChange(
  trx: Tx,
  change: { componentId: string; status: ComponentStatus; at: Date; incidentId?: string; updateId?: string },
) {
  const { id } = await trx
    .insertInto("component_status_changes")
    .values({
      component_id: change.componentId,
      status: change.status,
      at: change.at,
      incident_id: change.incidentId ?? null,
      update_id: change.updateId ?? null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // Channel subscribers of component events hear of every change, in the same transaction.
  await enqueueComponentChange(trx, { id: String(id), componentId: change.componentId });
  await trx.updateTable("components").set({ updated_at: new Date() }).where("id", "=", change.componentId).execute();
}

const latestStatus = sql<ComponentStatus>`coalesce((
  select s.status from component_status_changes s
  where s.component_id = components.id
  order by s.at desc, s.id desc limit 1
), 'operational')`;

/**
 * Status of the given components: current (their latest recorded change), or
 * as of `at` for a backdated update, so a backfilled change compares against
 * the status at its own time.
 */
export async function currentStatuses(trx: Tx | Db, ids: string[], at?: Date) {
  if (ids.length === 0) return [];
  const status = at
    ? sql<ComponentStatus>`coalesce((
        select s.status from component_status_changes s
        where s.component_id = components.id and s.at <= ${at}
        order by s.at desc, s.id desc limit 1
      ), 'operational')`
    : latestStatus;
  return inPageOrder(
    trx
      .selectFrom("components")
      .select(["id", "name", "group_id", status.as("status")])
      .where("id", "in", ids)
      .where("archived_at", "is", null),
  ).execute();
}

/** All live components with their current status, in page order. */
export async function listComponents(db: Db | Tx) {
  return inPageOrder(db.selectFrom("components").selectAll().select(latestStatus.as("status")).where("archived_at", "is", null)).execute();
}

/** All live groups, in page order. */
export async function listGroups(db: Db | Tx) {
  return db
    .selectFrom("component_groups")
    .selectAll()
    .where("archived_at", "is", null)
    .orderBy("position")
    .orderBy("created_at")
    .orderBy(sql`id collate "C"`)
    .execute();
}

export type ComponentWithStatus = Awaited<ReturnType<typeof listComponents>>[number];

export const editComponentInput = z.object({
  id: componentIdField,
  name,
  description,
  groupId: groupIdField.nullish().or(z.literal("").transform(() => null)),
  showcase: z.boolean().default(true),
  onlyShowIfDegraded: z.boolean().default(false),
});

export async function editComponent(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: editComponentInput,
    public: true,
    async change(trx, data) {
      const before = await requireComponent(trx, data.id);
      if (data.groupId) await requireGroup(trx, data.groupId);
      const groupId = data.groupId ?? null;
      // Moving to another group puts it last there.
      const position = groupId === before.group_id ? before.position : (await maxPosition(trx, groupId)) + 1;
      const after = await trx
        .updateTable("components")
        .set({
          name: data.name,
          description: data.description || null,
          group_id: groupId,
          position,
          showcase: data.showcase,
          only_show_if_degraded: data.onlyShowIfDegraded,
          updated_at: new Date(),
        })
        .where("id", "=", data.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "component.edit", subjectType: "component", subjectId: data.id, before, after } };
    },
  });
}

export async function editGroup(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: groupInput.extend({ id: groupIdField }),
    public: true,
    async change(trx, data) {
      const before = await requireGroup(trx, data.id);
      const after = await trx
        .updateTable("component_groups")
        .set({ name: data.name, description: data.description || null, updated_at: new Date() })
        .where("id", "=", data.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "group.edit", subjectType: "group", subjectId: data.id, before, after } };
    },
  });
}

export const moveInput = z.object({
  kind: z.enum(["component", "group"]),
  id: z.string().regex(PUBLIC_ID, "is not an id"),
  direction: z.enum(["up", "down"]),
});

/*
 * Reorder by one step (the up/down buttons: keyboard-accessible, no drag):
 * swap positions with the neighbour on the same level. Groups and top-level
 * components share the top level.
 */
export async function moveItem(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: moveInput,
    public: true,
    async change(trx, data) {
      const level = await levelOf(trx, data.kind, data.id);
      const index = level.findIndex((x) => x.kind === data.kind && x.id === data.id);
      const neighbour = level[data.direction === "up" ? index - 1 : index + 1];
      if (!neighbour) return { result: { moved: false }, audit: null };
      // Renumber the whole level 1..n in the new order, so ties and gaps from older data cannot block a move.
      const order = [...level];
      order[index] = neighbour;
      order[data.direction === "up" ? index - 1 : index + 1] = level[index];
      for (const [i, item] of order.entries()) {
        if (item.kind === "group") await trx.updateTable("component_groups").set({ position: i + 1 }).where("id", "=", item.id).execute();
        else await trx.updateTable("components").set({ position: i + 1 }).where("id", "=", item.id).execute();
      }
      return {
        result: { moved: true },
        audit: {
          action: `${data.kind}.move`,
          subjectType: data.kind,
          subjectId: data.id,
          before: { order: level.map((x) => x.id) },
          after: { order: order.map((x) => x.id) },
        },
      };
    },
  });
}

async function levelOf(trx: Tx, kind: "component" | "group", id: string) {
  let groupId: string | null = null;
  if (kind === "component") groupId = (await requireComponent(trx, id)).group_id;
  else await requireGroup(trx, id);
  const components = await trx
    .selectFrom("components")
    .select(["id", "position", "created_at"])
    .where("archived_at", "is", null)
    .where((eb) => (groupId ? eb("group_id", "=", groupId) : eb("group_id", "is", null)))
    .execute();
  const groups = groupId
    ? []
    : await trx.selectFrom("component_groups").select(["id", "position", "created_at"]).where("archived_at", "is", null).execute();
  return [...groups.map((g) => ({ ...g, kind: "group" as const })), ...components.map((c) => ({ ...c, kind: "component" as const }))].sort(
    byPosition,
  );
}

/** Archive: gone from the page and the pickers; history (uptime, past incidents) keeps it. */
export async function archiveComponent(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ id: componentIdField }),
    public: true,
    async change(trx, { id }) {
      const before = await requireComponent(trx, id);
      const after = await trx
        .updateTable("components")
        .set({ archived_at: new Date(), updated_at: new Date() })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "component.archive", subjectType: "component", subjectId: id, before, after } };
    },
  });
}

/** Archive a group; its components move to the top level rather than vanish. */
export async function archiveGroup(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ id: groupIdField }),
    public: true,
    async change(trx, { id }) {
      const before = await requireGroup(trx, id);
      const children = await inPageOrder(trx.selectFrom("components").select("id").where("group_id", "=", id)).execute();
      let position = await maxPosition(trx, null);
      for (const child of children) {
        position++;
        await trx.updateTable("components").set({ group_id: null, position }).where("id", "=", child.id).execute();
      }
      await trx.updateTable("component_groups").set({ archived_at: new Date(), updated_at: new Date() }).where("id", "=", id).execute();
      return { result: undefined, audit: { action: "group.archive", subjectType: "group", subjectId: id, before, after: { children: children.map((c) => c.id) } } };
    },
  });
}

export async function requireComponent(trx: Tx | Db, id: string) {
  const component = await trx.selectFrom("components").selectAll().where("id", "=", id).where("archived_at", "is", null).executeTakeFirst();
  if (!component) throw notFound("component");
  return component;
}

/** The components linked to each of the given incidents, in page order. */
export async function affectedComponents(db: Db | Tx, incidentIds: string[]) {
  const byIncident = new Map<string, { id: string; name: string }[]>();
  if (incidentIds.length === 0) return byIncident;
  const rows = await inPageOrder(
    db
      .selectFrom("incident_components")
      .innerJoin("components", "components.id", "incident_components.component_id")
      .select(["incident_components.incident_id", "components.id", "components.name"])
      .where("incident_components.incident_id", "in", incidentIds),
  ).execute();
  for (const row of rows) byIncident.set(row.incident_id, [...(byIncident.get(row.incident_id) ?? []), { id: row.id, name: row.name }]);
  return byIncident;
}

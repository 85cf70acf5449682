import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { ComponentStatus, IncidentKind, IncidentRow, Severity, UpdateStatus } from "#db/schema.ts";
import type { Actor } from "./actors.ts";
import { componentStatusSchema, currentStatuses, recordStatusChange } from "./components.ts";
import { enqueuePostmortem, enqueueUpdate } from "#lib/delivery/enqueue.ts";
import { invalidInput, notFound } from "#lib/core/errors.ts";
import { dateTimeField, filledText, metadataField, publicIdField, text } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { checkMilestoneOrder } from "#lib/core/milestones.ts";
import { cadenceFor, getPage } from "./page-settings.ts";
import { linkReports, queueReportFollowups, reportGroupRef } from "./report-followups.ts";
import { loadTimeline } from "./timeline.ts";
import { IMPACTS, INCIDENT_STATUSES, INCIDENT_UPDATE_STATUSES, isOpenStatus, MAINTENANCE_STATUSES, OPEN_INCIDENT_STATUSES, SEVERITIES, severityMeta, UPDATE_STATUSES } from "#lib/core/statuses.ts";
import { write } from "./write.ts";

const body = filledText({ max: 20000, multiline: true });

const componentChanges = z
  .array(z.object({ id: publicIdField("component"), status: componentStatusSchema }))
  .max(500)
  .default([])
  .refine((list) => new Set(list.map((c) => c.id)).size === list.length, "lists a component twice");

export const declareInput = z.object({
  name: text({ max: 255 }),
  severity: z.enum(SEVERITIES),
  status: z.enum(INCIDENT_UPDATE_STATUSES).default("investigating"),
  body,
  components: componentChanges,
  /** When the incident began; earlier than now for incidents found late. */
  startedAt: dateTimeField.optional(),
  /** When the team learned of it and when someone took it on (lib/core/milestones.ts); default: the declaration. */
  detectedAt: dateTimeField.optional(),
  acknowledgedAt: dateTimeField.optional(),
  displayAt: dateTimeField.optional(),
  notify: z.boolean().default(true),
  /** Declared from a group of problem reports: those reporters hear back when it resolves. */
  fromReports: reportGroupRef.optional(),
  /** The public impact when it should differ from the severity's (Statuspage's impact_override). */
  impactOverride: z.enum(IMPACTS).nullish(),
  metadata: metadataField.optional(),
});

export const updateInput = z.object({
  incidentId: publicIdField("incident"),
  status: z.enum(UPDATE_STATUSES).exclude(["postmortem"]),
  body,
  components: componentChanges,
  severity: z.enum(SEVERITIES).optional(),
  /** Display time; earlier than the latest update to backfill. */
  displayAt: dateTimeField.optional(),
  notify: z.boolean().default(true),
});

export const postmortemInput = z.object({
  incidentId: publicIdField("incident"),
  body: filledText({ max: 100000, multiline: true }),
  notify: z.boolean().default(false),
});

export type UpdateInput = z.input<typeof updateInput>;

/** Allocates the next human reference for the year: INC-2026-0042 / MNT-2026-0007. */
export async function allocateReference(trx: Tx, kind: IncidentKind, at: Date): Promise<string> {
  const prefix = kind === "incident" ? "INC" : "MNT";
  const year = at.getUTCFullYear();
  const { last } = await trx
    .insertInto("reference_counters")
    .values({ prefix, year, last: 1 })
    .onConflict((oc) => oc.columns(["prefix", "year"]).doUpdateSet((eb) => ({ last: eb("reference_counters.last", "+", 1) })))
    .returning("last")
    .executeTakeFirstOrThrow();
  return `${prefix}-${year}-${String(last).padStart(4, "0")}`;
}

export async function declareIncident(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: declareInput,
    public: true,
    async change(trx, data) {
      const now = new Date();
      const displayAt = data.displayAt ?? data.startedAt ?? now;
      // Impact began no later than it was detected or acknowledged.
      const startedAt = data.startedAt ?? [data.detectedAt, data.acknowledgedAt].reduce<Date>((a, b) => (b && b < a ? b : a), displayAt);
      checkMilestoneOrder({ startedAt, detectedAt: data.detectedAt ?? null, acknowledgedAt: data.acknowledgedAt ?? null }, now);
      const incident = await trx
        .insertInto("incidents")
        .values({
          id: publicId(),
          reference: await allocateReference(trx, "incident", startedAt),
          kind: "incident",
          name: data.name,
          status: data.status,
          severity: data.severity,
          impact: data.impactOverride ?? severityMeta[data.severity].impact,
          impact_override: data.impactOverride ?? null,
          metadata: JSON.stringify(data.metadata ?? {}),
          started_at: startedAt,
          created_at: displayAt < now ? displayAt : now,
          updated_at: now,
          backfilled: now.getTime() - displayAt.getTime() > 5 * 60_000,
          detected_at: data.detectedAt ?? null,
          acknowledged_at: data.acknowledgedAt ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (data.fromReports) await linkReports(trx, incident.id, data.fromReports);
      const update = await applyUpdate(trx, actor, incident, {
        status: data.status,
        body: data.body,
        components: data.components,
        displayAt,
        notify: data.notify,
      });
      return {
        result: { incident: await requireIncident(trx, incident.id), update },
        audit: { action: "incident.declare", subjectType: "incident", subjectId: incident.id, after: { incident, update } },
      };
    },
  });
}

export async function postUpdate(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: updateInput,
    public: true,
    async change(trx, data) {
      const before = await requireIncident(trx, data.incidentId, { lock: true });
      const statuses: readonly string[] = before.kind === "incident" ? INCIDENT_STATUSES : MAINTENANCE_STATUSES;
      if (!statuses.includes(data.status)) {
        throw invalidInput([{ field: "status", message: `is not a ${before.kind} status` }]);
      }
      let incident = before;
      if (data.severity && before.kind === "incident" && data.severity !== before.severity) {
        incident = await trx
          .updateTable("incidents")
          .set({ severity: data.severity, impact: before.impact_override ?? severityMeta[data.severity].impact })
          .where("id", "=", before.id)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      const update = await applyUpdate(trx, actor, incident, {
        status: data.status,
        body: data.body,
        components: data.components,
        displayAt: data.displayAt ?? new Date(),
        notify: data.notify,
      });
      const after = await requireIncident(trx, before.id);
      return {
        result: { incident: after, update },
        audit: {
          action: "incident.update",
          subjectType: "incident",
          subjectId: before.id,
          before: pickIncidentState(before),
          after: { ...pickIncidentState(after), update },
        },
      };
    },
  });
}

export async function publishPostmortem(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: postmortemInput,
    public: true,
    async change(trx, data) {
      const before = await requireIncident(trx, data.incidentId, { lock: true });
      if (before.kind !== "incident") throw invalidInput([{ field: "incidentId", message: "is a maintenance" }]);
      if (isOpenStatus(before.status)) {
        throw invalidInput([{ field: "incidentId", message: "must be resolved before a postmortem is published" }]);
      }
      const now = new Date();
      const after = await trx
        .updateTable("incidents")
        .set({
          status: "postmortem",
          postmortem_body: data.body,
          postmortem_published_at: before.postmortem_published_at ?? now,
          updated_at: now,
        })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (data.notify) await enqueuePostmortem(trx, after, await latestUpdateId(trx, after.id));
      return {
        result: after,
        audit: {
          action: "incident.postmortem",
          subjectType: "incident",
          subjectId: before.id,
          before: { status: before.status, postmortem_body: before.postmortem_body },
          after: { status: after.status, postmortem_body: after.postmortem_body, notify: data.notify },
        },
      };
    },
  });
}

interface ApplyUpdate {
  status: UpdateStatus;
  body: string;
  components: { id: string; status: ComponentStatus }[];
  displayAt: Date;
  notify: boolean;
}

/*
 * The shared core of declaring, updating and moving maintenance: insert the
 * update, record component changes (and their status history), move the
 * incident's lifecycle timestamps. Runs inside the caller's transaction.
 */
export async function applyUpdate(trx: Tx, actor: Actor, incident: IncidentRow, input: ApplyUpdate) {
  const now = new Date();
  const ids = input.components.map((c) => c.id);
  const current = new Map((await currentStatuses(trx, ids, input.displayAt)).map((c) => [c.id, c]));
  input.components.forEach((c, i) => {
    if (!current.has(c.id)) throw invalidInput([{ field: `components.${i}.id`, message: "is not a component" }]);
  });
  const update = await trx
    .insertInto("incident_updates")
    .values({
      id: publicId(),
      incident_id: incident.id,
      status: input.status,
      body: input.body,
      display_at: input.displayAt,
      created_at: now,
      updated_at: now,
      notify: input.notify,
      created_by: actor.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  const changes = input.components.map((c) => ({
    update_id: update.id,
    component_id: c.id,
    old_status: current.get(c.id)!.status,
    new_status: c.status,
  }));
  if (changes.length > 0) {
    await trx.insertInto("update_component_changes").values(changes).execute();
    await trx
      .insertInto("incident_components")
      .values(ids.map((id) => ({ incident_id: incident.id, component_id: id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  for (const change of changes) {
    if (change.old_status === change.new_status) continue;
    await recordStatusChange(trx, {
      componentId: change.component_id,
      status: change.new_status,
      at: input.displayAt,
      incidentId: incident.id,
      updateId: update.id,
    });
  }

  // A backfilled update (displayed before the latest one) joins the timeline without moving the lifecycle.
  const isLatest = (await latestUpdateId(trx, incident.id)) === update.id;
  const at = input.displayAt;
  const page = await getPage(trx);
  const cadence = incident.kind === "incident" && incident.severity ? cadenceFor(page, incident.severity as Severity) : null;
  const open = isOpenStatus(input.status);
  const nextDue = isLatest && open && cadence ? new Date(now.getTime() + cadence * 60_000) : null;
  // The update keeps its promise for the report's "promises kept" (lib/core/milestones.ts).
  if (nextDue) await trx.updateTable("incident_updates").set({ next_update_due_at: nextDue }).where("id", "=", update.id).execute();
  await trx
    .updateTable("incidents")
    .set({
      updated_at: now,
      ...(isLatest
        ? {
            status: input.status,
            next_update_due_at: nextDue,
            resolved_at: open ? null : (incident.resolved_at ?? at),
          }
        : {}),
      ...(input.status === "identified" && !incident.identified_at ? { identified_at: at } : {}),
      ...((input.status === "monitoring" || input.status === "verifying") && !incident.monitoring_at
        ? { monitoring_at: at }
        : {}),
    })
    .where("id", "=", incident.id)
    .execute();
  // Subscribers are queued in the same transaction: a rolled-back update sends nothing.
  if (input.notify) await enqueueUpdate(trx, incident, update.id);
  // Reporters asked to hear when it is fixed, not how: silent or not, a resolution tells them.
  if (isLatest && !open && incident.kind === "incident") await queueReportFollowups(trx, incident.id);
  return { ...update, next_update_due_at: nextDue, changes };
}

export async function requireIncident(trx: Tx | Db, id: string, options: { lock?: boolean } = {}) {
  let query = trx.selectFrom("incidents").selectAll().where("id", "=", id);
  if (options.lock) query = query.forUpdate();
  const incident = await query.executeTakeFirst();
  if (!incident) throw notFound("incident");
  return incident;
}

function pickIncidentState(i: IncidentRow) {
  return { status: i.status, severity: i.severity, impact: i.impact, resolved_at: i.resolved_at };
}

/** The admin's incident list: active first (oldest promise first), then the most recent closed ones. */
export async function listIncidentsForAdmin(db: Db, options: { closedLimit?: number } = {}) {
  const active = await db
    .selectFrom("incidents")
    .selectAll()
    .where("kind", "=", "incident")
    .where("status", "in", OPEN_INCIDENT_STATUSES)
    .orderBy("next_update_due_at", (ob) => ob.asc().nullsLast())
    .orderBy("started_at", "desc")
    .execute();
  const closed = await db
    .selectFrom("incidents")
    .selectAll()
    .where("kind", "=", "incident")
    .where("status", "not in", OPEN_INCIDENT_STATUSES)
    .orderBy("started_at", "desc")
    .limit(options.closedLimit ?? 30)
    .execute();
  return { active, closed };
}

/** One incident with its timeline (newest first) and the components it touches, for the admin. */
export async function getIncidentForAdmin(db: Db, id: string) {
  const [incident, updates, linked] = await Promise.all([
    requireIncident(db, id),
    loadTimeline(db, id, { authors: true }),
    db.selectFrom("incident_components").select("component_id").where("incident_id", "=", id).execute(),
  ]);
  const components = await currentStatuses(db, linked.map((l) => l.component_id));
  return { incident, updates, components };
}

/** "next update due in 12 min" / "overdue by 4 min" / null when nothing is promised. */
export function updateDueText(dueAt: Date | null, now: Date = new Date()): { text: string; overdue: boolean } | null {
  if (!dueAt) return null;
  const minutes = Math.round((dueAt.getTime() - now.getTime()) / 60_000);
  if (minutes >= 0) return { text: `next update due in ${minutes} min`, overdue: false };
  return { text: `overdue by ${-minutes} min`, overdue: true };
}

/** The lifecycle status that usually comes next, pre-selected in the post-update form. */
export function nextStatus(status: UpdateStatus): "identified" | "monitoring" | "resolved" {
  if (status === "investigating") return "identified";
  if (status === "identified") return "monitoring";
  return "resolved";
}

/** The update that heads an incident's timeline: latest displayed, then latest written. */
async function latestUpdateId(trx: Tx, incidentId: string): Promise<string> {
  const latest = await trx
    .selectFrom("incident_updates")
    .select("id")
    .where("incident_id", "=", incidentId)
    .orderBy("display_at", "desc")
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return latest.id;
}

import { z } from "zod";
import { db as processDb, type Db } from "#db/client.ts";
import { systemActor, type Actor } from "./actors.ts";
import { invalidInput, isAppError } from "#lib/core/errors.ts";
import { dateTimeField, filledText, metadataField, publicIdField, text } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { allocateReference, applyUpdate, requireIncident } from "./incidents.ts";
import { internalRequestsPending, postInternal } from "#lib/runtime/internal-requests.ts";
import { duringNextBuild } from "#lib/runtime/next-internals.ts";
import { getPage } from "./page-settings.ts";
import { ACTIVE_MAINTENANCE_STATUSES, CLOSED_MAINTENANCE_STATUSES, IMPACTS, MAINTENANCE_ADVANCE_STATUSES, OPEN_MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { sendMonthlyDigest } from "./digests.ts";
import { write } from "./write.ts";

const window = { scheduledFor: dateTimeField, scheduledUntil: dateTimeField };
const maintenanceId = publicIdField("maintenance");

export const scheduleInput = z
  .object({
    name: text({ max: 255 }),
    body: filledText({ max: 20000, multiline: true }),
    components: z.array(publicIdField("component")).max(500).default([]),
    impact: z.enum([...IMPACTS, "maintenance"]).default("maintenance"),
    autoTransition: z.boolean().default(true),
    remindPrior: z.boolean().default(false),
    notify: z.boolean().default(true),
    /** When it was announced; earlier than now to backfill a past window. */
    announcedAt: dateTimeField.optional(),
    metadata: metadataField.optional(),
    ...window,
  })
  .refine((d) => d.scheduledUntil > d.scheduledFor, { path: ["scheduledUntil"], error: "must be after the start" });

export const rescheduleInput = z
  .object({ incidentId: maintenanceId, ...window })
  .refine((d) => d.scheduledUntil > d.scheduledFor, { path: ["scheduledUntil"], error: "must be after the start" });

export async function scheduleMaintenance(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: scheduleInput,
    public: true,
    async change(trx, data) {
      const now = data.announcedAt ?? new Date();
      const maintenance = await trx
        .insertInto("incidents")
        .values({
          id: publicId(),
          reference: await allocateReference(trx, "maintenance", data.scheduledFor),
          kind: "maintenance",
          name: data.name,
          status: "scheduled",
          impact: data.impact,
          // Any other impact than maintenance's own was chosen over it.
          impact_override: data.impact === "maintenance" ? null : data.impact,
          severity: null,
          started_at: now,
          created_at: now,
          updated_at: now,
          scheduled_for: data.scheduledFor,
          scheduled_until: data.scheduledUntil,
          scheduled_auto_transition: data.autoTransition,
          scheduled_remind_prior: data.remindPrior,
          metadata: JSON.stringify(data.metadata ?? {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Components are linked now but keep their status until the window starts.
      const current = await trx.selectFrom("components").select("id").where("id", "in", data.components.length ? data.components : [""]).execute();
      const known = new Set(current.map((c) => c.id));
      data.components.forEach((id, i) => {
        if (!known.has(id)) throw invalidInput([{ field: `components.${i}`, message: "is not a component" }]);
      });
      if (data.components.length) {
        await trx
          .insertInto("incident_components")
          .values(data.components.map((component_id) => ({ incident_id: maintenance.id, component_id })))
          .execute();
      }
      const update = await applyUpdate(trx, actor, maintenance, {
        status: "scheduled",
        body: data.body,
        components: [],
        displayAt: now,
        notify: data.notify,
      });
      return {
        result: { maintenance: await requireIncident(trx, maintenance.id), update },
        audit: { action: "maintenance.schedule", subjectType: "incident", subjectId: maintenance.id, after: { maintenance, update } },
      };
    },
  });
}

const allowedFrom: Record<"in_progress" | "verifying" | "completed", string[]> = {
  in_progress: ["scheduled"],
  verifying: ["in_progress"],
  completed: ["in_progress", "verifying"],
};

const advanceTexts = {
  in_progress: "Scheduled maintenance is currently in progress. We will provide updates as necessary.",
  verifying: "Verification is currently underway for the maintenance items.",
  completed: "The scheduled maintenance has been completed.",
};

export const advanceInput = z.object({
  incidentId: maintenanceId,
  status: z.enum(MAINTENANCE_ADVANCE_STATUSES),
  body: text({ max: 20000, multiline: true }).optional(),
  notify: z.boolean().default(true),
  /** When the move happened; the window's start or end for the scheduler. */
  at: dateTimeField.optional(),
});

/** Move a maintenance to in_progress / verifying / completed, setting its components' statuses. */
export async function advanceMaintenance(db: Db, actor: Actor, input: z.input<typeof advanceInput>) {
  return write(db, actor, input, {
    role: "editor",
    schema: advanceInput,
    public: true,
    async change(trx, input) {
      const before = await requireIncident(trx, input.incidentId, { lock: true });
      if (before.kind !== "maintenance") throw invalidInput([{ field: "incidentId", message: "is not a maintenance" }]);
      if (!allowedFrom[input.status].includes(before.status)) {
        throw invalidInput([{ field: "status", message: `cannot move from ${before.status} to ${input.status}` }]);
      }
      const linked = await trx.selectFrom("incident_components").select("component_id").where("incident_id", "=", before.id).execute();
      const componentStatus = input.status === "completed" ? "operational" : "under_maintenance";
      const update = await applyUpdate(trx, actor, before, {
        status: input.status,
        body: input.body ?? advanceTexts[input.status],
        components: input.status === "verifying" ? [] : linked.map((l) => ({ id: l.component_id, status: componentStatus })),
        displayAt: input.at ?? new Date(),
        notify: input.notify,
      });
      return {
        result: update,
        audit: {
          action: `maintenance.${input.status}`,
          subjectType: "incident",
          subjectId: before.id,
          before: { status: before.status },
          after: { status: input.status },
        },
      };
    },
  });
}

export async function rescheduleMaintenance(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: rescheduleInput,
    public: true,
    async change(trx, data) {
      const before = await requireIncident(trx, data.incidentId, { lock: true });
      if (before.kind !== "maintenance" || before.status !== "scheduled") {
        throw invalidInput([{ field: "incidentId", message: "only a scheduled maintenance can be rescheduled" }]);
      }
      const after = await trx
        .updateTable("incidents")
        .set({ scheduled_for: data.scheduledFor, scheduled_until: data.scheduledUntil, sequence: before.sequence + 1, updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: after,
        audit: {
          action: "maintenance.reschedule",
          subjectType: "incident",
          subjectId: before.id,
          before: { scheduled_for: before.scheduled_for, scheduled_until: before.scheduled_until },
          after: { scheduled_for: after.scheduled_for, scheduled_until: after.scheduled_until },
        },
      };
    },
  });
}

export const cancelInput = z.object({
  incidentId: maintenanceId,
  body: text({ max: 20000, multiline: true }).optional(),
  notify: z.boolean().default(true),
});

export async function cancelMaintenance(db: Db, actor: Actor, input: z.input<typeof cancelInput>) {
  return write(db, actor, input, {
    role: "editor",
    schema: cancelInput,
    public: true,
    async change(trx, input) {
      const before = await requireIncident(trx, input.incidentId, { lock: true });
      if (before.kind !== "maintenance" || before.status !== "scheduled") {
        throw invalidInput([{ field: "incidentId", message: "only a scheduled maintenance can be cancelled" }]);
      }
      const update = await applyUpdate(trx, actor, before, {
        status: "completed",
        body: input.body ?? "This scheduled maintenance has been cancelled.",
        components: [],
        displayAt: new Date(),
        notify: input.notify,
      });
      await trx
        .updateTable("incidents")
        .set({ cancelled_at: new Date(), sequence: before.sequence + 1 })
        .where("id", "=", before.id)
        .execute();
      return {
        result: update,
        audit: { action: "maintenance.cancel", subjectType: "incident", subjectId: before.id, before: { status: before.status }, after: { cancelled: true } },
      };
    },
  });
}

/*
 * The scheduled job: start windows that have begun and complete windows that
 * have ended, for maintenances that transition automatically. Safe to run
 * from several processes: each move locks its row and re-checks the status.
 */
export async function advanceDueMaintenance(db: Db, now = new Date()): Promise<number> {
  const due = await db
    .selectFrom("incidents")
    .select(["id", "status", "scheduled_for", "scheduled_until"])
    .where("kind", "=", "maintenance")
    .where("scheduled_auto_transition", "=", true)
    .where("cancelled_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "scheduled"), eb("scheduled_for", "<=", now)]),
        eb.and([eb("status", "in", ACTIVE_MAINTENANCE_STATUSES), eb("scheduled_until", "<=", now)]),
      ]),
    )
    .execute();
  let moved = 0;
  for (const m of due) {
    const target = m.status === "scheduled" && m.scheduled_until! > now ? "in_progress" : "completed";
    try {
      if (m.status === "scheduled" && target === "completed") {
        await advanceMaintenance(db, systemActor, { incidentId: m.id, status: "in_progress", at: m.scheduled_for!, notify: false });
      }
      await advanceMaintenance(db, systemActor, {
        incidentId: m.id,
        status: target,
        at: target === "in_progress" ? m.scheduled_for! : m.scheduled_until!,
      });
      moved++;
    } catch (error) {
      // Another process moved it first; the next run sees its new status.
      if (!isAppError(error, "invalid_input")) throw error;
    }
  }
  return moved;
}

/** How long before a window starts its reminder goes out (for maintenances scheduled with a reminder). */
export const REMINDER_LEAD_MINUTES = 60;

/*
 * The scheduled job's other half: for a maintenance scheduled with "remind
 * subscribers", post a reminder update (so the email carries the timeline)
 * once, when the start is less than REMINDER_LEAD_MINUTES away. Safe to run
 * from several processes: the row is locked and `scheduled_reminded_at` re-checked.
 */
export async function remindDueMaintenance(db: Db, now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + REMINDER_LEAD_MINUTES * 60_000);
  const due = await db
    .selectFrom("incidents")
    .select("id")
    .where("kind", "=", "maintenance")
    .where("status", "=", "scheduled")
    .where("scheduled_remind_prior", "=", true)
    .where("scheduled_reminded_at", "is", null)
    .where("cancelled_at", "is", null)
    .where("scheduled_for", ">", now)
    .where("scheduled_for", "<=", horizon)
    .execute();
  let reminded = 0;
  for (const { id } of due) {
    const sent = await write(db, systemActor, { incidentId: id }, {
      role: "editor",
      schema: z.object({ incidentId: maintenanceId }),
      public: true,
      async change(trx, { incidentId }) {
        const m = await requireIncident(trx, incidentId, { lock: true });
        if (m.status !== "scheduled" || m.scheduled_reminded_at || m.cancelled_at) return { result: false, audit: null };
        const page = await getPage(trx);
        const update = await applyUpdate(trx, systemActor, m, {
          status: "scheduled",
          body: `Reminder: this maintenance starts at ${formatDateTime(m.scheduled_for!, page.time_zone)} and is planned to end at ${formatDateTime(m.scheduled_until!, page.time_zone)}.`,
          components: [],
          displayAt: now,
          notify: true,
        });
        await trx.updateTable("incidents").set({ scheduled_reminded_at: now }).where("id", "=", m.id).execute();
        return { result: true, audit: { action: "maintenance.remind", subjectType: "incident", subjectId: m.id, after: { updateId: update.id } } };
      },
    });
    if (sent) reminded++;
  }
  return reminded;
}

/** The admin's maintenance list: upcoming and running first, then recently finished. */
export async function listMaintenanceForAdmin(db: Db, options: { closedLimit?: number } = {}) {
  const open = await db
    .selectFrom("incidents")
    .selectAll()
    .where("kind", "=", "maintenance")
    .where("status", "in", OPEN_MAINTENANCE_STATUSES)
    .orderBy("scheduled_for")
    .execute();
  const closed = await db
    .selectFrom("incidents")
    .selectAll()
    .where("kind", "=", "maintenance")
    .where("status", "in", CLOSED_MAINTENANCE_STATUSES)
    .orderBy("scheduled_for", "desc")
    .limit(options.closedLimit ?? 20)
    .execute();
  return { open, closed };
}

// Read and written only here; on globalThis because Next may load this module more than once in a process.
const globalClock = globalThis as unknown as { candorMaintenanceClock?: NodeJS.Timeout };

/** One run of the clock: reminders that are due, then windows due to start or end, then last month's digest if not yet sent. */
export async function runMaintenanceClock(openDb: () => Promise<Db> = processDb): Promise<void> {
  const db = await openDb();
  await remindDueMaintenance(db);
  await advanceDueMaintenance(db);
  await sendMonthlyDigest(db);
}

/*
 * Runs the clock every `intervalMs` in this process (started by
 * instrumentation.ts in the production server). Inside the production
 * server each run is a request to itself, so its moves refresh the public
 * pages at once (lib/runtime/internal-requests.ts); elsewhere it runs directly.
 * Several instances may run it at once: each move locks its row. A failed
 * run (database down) is logged and retried on the next tick. Returns a
 * stop function.
 */
export function startMaintenanceClock(openDb: () => Promise<Db>, intervalMs = 30_000): () => void {
  const stop = () => {
    clearInterval(globalClock.candorMaintenanceClock);
    globalClock.candorMaintenanceClock = undefined;
  };
  if (globalClock.candorMaintenanceClock || duringNextBuild()) return stop;
  const tick = () =>
    postInternal("/api/internal/maintenance-clock")
      // A run while the server is still starting could not refresh the pages: the next tick does it.
      .then((posted) => (posted || internalRequestsPending() ? undefined : runMaintenanceClock(openDb)))
      .catch((error: unknown) => console.error(`[maintenance] scheduled run failed: ${(error as Error).message}`));
  globalClock.candorMaintenanceClock = setInterval(tick, intervalMs);
  globalClock.candorMaintenanceClock.unref();
  void tick();
  return stop;
}

import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { Actor } from "./actors.ts";
import { invalidInput, notFound } from "#lib/core/errors.ts";
import { filledText, metadataField, publicIdField, text } from "#lib/core/forms.ts";
import { IMPACTS, severityForImpact } from "#lib/core/statuses.ts";
import { requireIncident } from "./incidents.ts";
import { write } from "./write.ts";

/*
 * An incident's details that are not an update: its name, the impact an
 * integration overrides, its metadata; silent corrections of an update's
 * text; and deleting it. Statuspage's v1 API
 * changes these; subscribers hear of none of them.
 */

export const detailsInput = z.object({
  incidentId: publicIdField("incident"),
  name: text({ max: 255 }).optional(),
  /** null clears the override: the severity's impact shows again. */
  impactOverride: z.enum([...IMPACTS, "maintenance"]).nullish(),
  metadata: metadataField.optional(),
  /** Maintenance only: move by itself at the window's start and end; remind subscribers before it starts. */
  autoTransition: z.boolean().optional(),
  remindPrior: z.boolean().optional(),
});

/**
 * Rename, override the public impact (the severity follows it), replace the
 * metadata, or change a maintenance's automatic moves and reminder; only
 * the given fields change.
 */
export async function editIncidentDetails(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: detailsInput,
    public: true,
    async change(trx, data) {
      const before = await requireIncident(trx, data.incidentId, { lock: true });
      const override = data.impactOverride;
      let impact = {};
      if (before.kind === "maintenance" && override !== undefined) {
        impact = { impact_override: override, impact: override ?? "maintenance" };
      } else if (override === "maintenance") {
        throw invalidInput([{ field: "impactOverride", message: "maintenance is the impact of scheduled maintenance only" }]);
      } else if (override === null) {
        impact = { impact_override: null };
      } else if (override !== undefined) {
        impact = { impact_override: override, impact: override, severity: severityForImpact(override) };
      }
      if (before.kind === "incident") {
        for (const field of ["autoTransition", "remindPrior"] as const) {
          if (data[field] !== undefined) throw invalidInput([{ field, message: "is a setting of scheduled maintenance only" }]);
        }
      }
      const after = await trx
        .updateTable("incidents")
        .set({
          ...(data.name === undefined ? {} : { name: data.name }),
          ...(data.autoTransition === undefined ? {} : { scheduled_auto_transition: data.autoTransition }),
          ...(data.remindPrior === undefined ? {} : { scheduled_remind_prior: data.remindPrior }),
          ...impact,
          ...(data.metadata === undefined ? {} : { metadata: JSON.stringify(data.metadata) }),
          updated_at: new Date(),
        })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const pick = (i: typeof before) => ({
        name: i.name,
        impact: i.impact,
        impact_override: i.impact_override,
        severity: i.severity,
        metadata: i.metadata,
        scheduled_auto_transition: i.scheduled_auto_transition,
        scheduled_remind_prior: i.scheduled_remind_prior,
      });
      return {
        result: after,
        audit: { action: "incident.details", subjectType: "incident", subjectId: before.id, before: pick(before), after: pick(after) },
      };
    },
  });
}

/*
 * Delete an incident or maintenance with its timeline. The components'
 * recorded status changes stay (uptime history is what happened), detached
 * from it; its queued emails are superseded so no worker sends about it.
 */
export async function deleteIncident(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ incidentId: publicIdField("incident") }),
    public: true,
    async change(trx, { incidentId }) {
      const before = await requireIncident(trx, incidentId, { lock: true });
      await trx
        .updateTable("deliveries")
        .set({ status: "superseded", updated_at: new Date() })
        .where("incident_id", "=", incidentId)
        .where("status", "=", "queued")
        .execute();
      await trx.deleteFrom("incidents").where("id", "=", incidentId).execute();
      return { result: before, audit: { action: "incident.delete", subjectType: "incident", subjectId: incidentId, before } };
    },
  });
}

export const correctionInput = z.object({
  updateId: publicIdField("update"),
  body: filledText({ max: 20000, multiline: true }),
});

/*
 * Fix a posted update's text (a typo, a wrong ETA); audited with the old and
 * new text. Silent: subscribers get one email per update, so news that
 * matters goes out as a new update.
 */
export async function correctUpdate(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: correctionInput,
    public: true,
    async change(trx, data) {
      const before = await trx.selectFrom("incident_updates").selectAll().where("id", "=", data.updateId).forUpdate().executeTakeFirst();
      if (!before) throw notFound("update");
      const after = await trx
        .updateTable("incident_updates")
        .set({ body: data.body, updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.updateTable("incidents").set({ updated_at: new Date() }).where("id", "=", before.incident_id).execute();
      return {
        result: after,
        audit: {
          action: "incident.correct",
          subjectType: "incident",
          subjectId: before.incident_id,
          before: { updateId: before.id, body: before.body },
          after: { updateId: after.id, body: after.body },
        },
      };
    },
  });
}

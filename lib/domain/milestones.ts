import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { IncidentRow } from "#db/schema.ts";
import { invalidInput } from "#lib/core/errors.ts";
import { dateTimeField, publicIdField } from "#lib/core/forms.ts";
import { checkMilestoneOrder } from "#lib/core/milestones.ts";
import type { Actor } from "./actors.ts";
import { requireIncident } from "./incidents.ts";
import { write } from "./write.ts";

/*
 * The milestones people give: when impact began, when it was detected and
 * when someone acknowledged it. Everything else Candor records as it
 * happens (lib/core/milestones.ts says which column or update each is).
 */

// A form's empty field clears a given time (back to the default: the declaration).
const clearable = z.union([z.literal("").transform(() => null), z.null(), dateTimeField]);

export const milestonesInput = z.object({
  incidentId: publicIdField("incident"),
  startedAt: dateTimeField.optional(),
  detectedAt: clearable.optional(),
  acknowledgedAt: clearable.optional(),
});

function pick(i: IncidentRow) {
  return { started_at: i.started_at, detected_at: i.detected_at, acknowledged_at: i.acknowledged_at };
}

/** Correct an incident's given milestones later; audited with the times before and after. */
export async function setMilestones(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: milestonesInput,
    // The public incident page shows when it started.
    public: true,
    async change(trx, data) {
      const before = await requireIncident(trx, data.incidentId, { lock: true });
      if (before.kind !== "incident") throw invalidInput([{ field: "incidentId", message: "is a maintenance" }]);
      const next = {
        startedAt: data.startedAt ?? before.started_at,
        detectedAt: data.detectedAt === undefined ? before.detected_at : data.detectedAt,
        acknowledgedAt: data.acknowledgedAt === undefined ? before.acknowledged_at : data.acknowledgedAt,
      };
      checkMilestoneOrder(next, new Date());
      const after = await trx
        .updateTable("incidents")
        .set({ started_at: next.startedAt, detected_at: next.detectedAt, acknowledged_at: next.acknowledgedAt, updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: after,
        audit: { action: "incident.milestones", subjectType: "incident", subjectId: before.id, before: pick(before), after: pick(after) },
      };
    },
  });
}

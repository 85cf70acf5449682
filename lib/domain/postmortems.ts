import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { Actor } from "./actors.ts";
import { invalidInput } from "#lib/core/errors.ts";
import { publicIdField, text } from "#lib/core/forms.ts";
import { requireIncident } from "./incidents.ts";
import { write } from "./write.ts";

/*
 * A postmortem's draft and its withdrawal, beside publishPostmortem
 * (incidents.ts): the draft is written and kept apart from the published
 * text, so editing it changes nothing the public sees until it is
 * published again; reverting takes the published postmortem back to draft.
 */

const incidentId = publicIdField("incident");

async function requireRealtime(trx: Parameters<typeof requireIncident>[0], id: string) {
  const incident = await requireIncident(trx, id, { lock: true });
  if (incident.kind !== "incident") throw invalidInput([{ field: "incidentId", message: "is a maintenance: maintenance has no postmortem" }]);
  return incident;
}

export async function savePostmortemDraft(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ incidentId, body: text({ max: 100000, multiline: true }) }),
    // A draft is not public.
    public: false,
    async change(trx, data) {
      const before = await requireRealtime(trx, data.incidentId);
      const after = await trx
        .updateTable("incidents")
        .set({ postmortem_draft: data.body, postmortem_draft_updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: after,
        audit: { action: "incident.postmortem_draft", subjectType: "incident", subjectId: before.id, before: { draft: before.postmortem_draft }, after: { draft: after.postmortem_draft } },
      };
    },
  });
}

/** Unpublish: the incident is resolved again and the published text becomes the draft (unless a newer draft exists). */
export async function revertPostmortem(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ incidentId }),
    public: true,
    async change(trx, data) {
      const before = await requireRealtime(trx, data.incidentId);
      if (before.status !== "postmortem") throw invalidInput([{ field: "incidentId", message: "has no published postmortem" }]);
      const after = await trx
        .updateTable("incidents")
        .set({
          status: "resolved",
          postmortem_draft: before.postmortem_draft ?? before.postmortem_body,
          postmortem_draft_updated_at: before.postmortem_draft_updated_at ?? new Date(),
          postmortem_body: null,
          postmortem_published_at: null,
          updated_at: new Date(),
        })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        result: after,
        audit: { action: "incident.postmortem_revert", subjectType: "incident", subjectId: before.id, before: { status: before.status, postmortem_body: before.postmortem_body } },
      };
    },
  });
}

/** Discard the draft; a published postmortem must be reverted first. */
export async function deletePostmortemDraft(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ incidentId }),
    public: false,
    async change(trx, data) {
      const before = await requireRealtime(trx, data.incidentId);
      if (before.status === "postmortem") throw invalidInput([{ field: "incidentId", message: "has a published postmortem: revert it first" }]);
      await trx.updateTable("incidents").set({ postmortem_draft: null, postmortem_draft_updated_at: null }).where("id", "=", before.id).execute();
      return { result: undefined, audit: { action: "incident.postmortem_delete", subjectType: "incident", subjectId: before.id, before: { draft: before.postmortem_draft } } };
    },
  });
}

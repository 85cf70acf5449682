import { z } from "zod";
import type { Db } from "#db/client.ts";
import { invalidInput, notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { rfc3339 } from "#lib/core/time.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { publishPostmortem, requireIncident } from "#lib/domain/incidents.ts";
import { deletePostmortemDraft, revertPostmortem, savePostmortemDraft } from "#lib/domain/postmortems.ts";
import { flag, optional, parseBody } from "./bodies.ts";
import { asClientFields } from "./incident-writes.ts";
import type { Answer, WriteMethod } from "./writes.ts";

/*
 * …/incidents/{id}/postmortem: the draft (PUT), publishing it (PUT
 * …/publish), taking it back (PUT …/revert) and discarding the draft
 * (DELETE), answered as Statuspage's Postmortem object.
 */

export const postmortemDraftBody = z.object({ postmortem: z.object({ body_draft: z.string({ error: "is required" }) }) });
export const postmortemPublishBody = z.object({
  postmortem: z
    .object({
      notify_subscribers: optional(flag),
      // Candor has no Twitter: accepted, not used.
      notify_twitter: optional(flag),
      custom_tweet: optional(z.string().max(280)),
    })
    .default({}),
});

// The domain names the text `body`; Statuspage's clients send it as `body_draft`.
const DRAFT = { body: "body_draft" };

async function incidentOf(db: Db, id: string) {
  if (!PUBLIC_ID.test(id)) throw notFound("incident");
  return requireIncident(db, id);
}

/** GET …/postmortem; 404 while there is neither a draft nor a published one. */
export async function readPostmortem(db: Db, id: string, zone: string): Promise<object> {
  const i = await incidentOf(db, id);
  if (i.postmortem_draft === null && i.postmortem_published_at === null) throw notFound("postmortem");
  const at = (d: Date | null) => (d ? rfc3339(d, zone) : null);
  const times = [i.postmortem_draft_updated_at, i.postmortem_published_at].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
  return {
    preview_key: null,
    body: i.postmortem_published_at ? i.postmortem_body : null,
    body_updated_at: at(i.postmortem_published_at),
    body_draft: i.postmortem_draft,
    body_draft_updated_at: at(i.postmortem_draft_updated_at),
    published_at: at(i.postmortem_published_at),
    notify_subscribers: false,
    notify_twitter: false,
    custom_tweet: null,
    created_at: at(times[0]),
    updated_at: at(times[times.length - 1]),
  };
}

/** A write under …/incidents/{id}/postmortem (`action`: undefined, "publish" or "revert"); null when no such endpoint. */
export async function writePostmortem(db: Db, actor: Actor, method: WriteMethod, id: string, action: string | undefined, raw: unknown, zone: string): Promise<Answer | null> {
  const read = async () => ({ status: 200, body: await readPostmortem(db, id, zone) });
  if (action === undefined && method === "PUT") {
    const { body_draft } = parseBody(postmortemDraftBody, raw).postmortem;
    await incidentOf(db, id);
    await asClientFields("postmortem", () => savePostmortemDraft(db, actor, { incidentId: id, body: body_draft }), DRAFT);
    return read();
  }
  if (action === undefined && method === "DELETE") {
    await incidentOf(db, id);
    await asClientFields("postmortem", () => deletePostmortemDraft(db, actor, { incidentId: id }));
    return { status: 204, body: null };
  }
  if (action === "publish" && method === "PUT") {
    const { notify_subscribers } = parseBody(postmortemPublishBody, raw).postmortem;
    const incident = await incidentOf(db, id);
    if (!incident.postmortem_draft) throw invalidInput([{ field: "postmortem.body_draft", message: "is empty: save a draft first" }]);
    await asClientFields(
      "postmortem",
      () => publishPostmortem(db, actor, { incidentId: id, body: incident.postmortem_draft, notify: notify_subscribers ?? false }),
      DRAFT,
    );
    return read();
  }
  if (action === "revert" && method === "PUT") {
    await incidentOf(db, id);
    await asClientFields("postmortem", () => revertPostmortem(db, actor, { incidentId: id }));
    return read();
  }
  return null;
}

import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { SubscriberRow, SubscriberStatus } from "#db/schema.ts";
import { invalidInput, notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { rfc3339 } from "#lib/core/time.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { addSubscriber, setSubscriberComponents, unsubscribeSubscribers } from "#lib/domain/subscribers/admin.ts";
import type { PublicComponent } from "#lib/public/statuspage-v2.ts";
import { flag, list, optional, parseBody, parseQuery } from "./bodies.ts";
import { asClientFields } from "./incident-writes.ts";
import type { Answer, WriteMethod } from "./writes.ts";

/*
 * …/subscribers: Candor's email subscribers as Statuspage's Subscriber
 * objects. Candor keeps double opt-in whoever adds an address: a subscriber
 * created here is unconfirmed and gets the confirmation email, and
 * `skip_confirmation_notification` cannot skip it (docs/statuspage-v1.md).
 */

// Statuspage's states → Candor's statuses. Email that bounced or complained is what Statuspage quarantines.
const STATES: Record<string, readonly SubscriberStatus[]> = {
  active: ["active"],
  unconfirmed: ["pending"],
  quarantined: ["bounced", "complained"],
  all: ["active", "pending", "bounced", "complained"],
};

export const subscriberListQuery = z.object({
  q: optional(z.string().max(320)),
  type: optional(z.enum(["email", "sms", "webhook", "slack", "teams", "integration_partner"])),
  state: z.enum(["active", "unconfirmed", "quarantined", "all"]).default("active"),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  // Statuspage's subscriber pages start at 0.
  page: z.coerce.number().int().min(0).default(0),
  sort_field: optional(z.enum(["primary", "created_at", "quarantined_at", "relevance"])),
  sort_direction: optional(z.enum(["asc", "desc"])),
});

// The domain names chosen components `components`; Statuspage's clients send `component_ids`.
const RENAMES = { components: "component_ids" };

const ids = list(z.string().min(1).max(64));

export const subscriberBody = z.object({
  subscriber: z.object({
    email: optional(z.string()),
    endpoint: optional(z.string()),
    phone_number: optional(z.string()),
    phone_country: optional(z.string()),
    skip_confirmation_notification: optional(flag),
    page_access_user: optional(z.string()),
    component_ids: optional(ids),
  }),
});

/** POST …/subscribers/unsubscribe: ids (a list, or comma-separated) or "all" (of the type and state; refused past 100). */
export const bulkUnsubscribeBody = z.object({
  subscribers: z.union([z.literal("all"), list(z.string().min(1).max(64), 100), z.string().max(2000).transform((v) => v.split(",").map((id) => id.trim()))], {
    error: "must be a list of subscriber ids, or all",
  }),
  type: optional(z.enum(["email", "sms", "slack", "webhook", "integration_partner"])),
  state: optional(z.enum(["active", "unconfirmed", "quarantined", "all"])),
  skip_unsubscription_notification: optional(flag),
});

// The reference puts PATCH's component_ids at the top level; clients also wrap it: both are read.
export const subscriberPatchBody = z.object({ component_ids: optional(ids), subscriber: z.object({ component_ids: optional(ids) }).optional() });

async function componentsOf(db: Db, rows: SubscriberRow[], components: PublicComponent[]): Promise<Map<string, string[]>> {
  const chosen = rows.length
    ? await db.selectFrom("subscriber_components").select(["subscriber_id", "component_id"]).where("subscriber_id", "in", rows.map((r) => r.id)).execute()
    : [];
  const live = new Set(components.map((c) => c.id));
  return new Map(
    rows.map((r) => [r.id, r.all_components ? components.map((c) => c.id) : chosen.filter((c) => c.subscriber_id === r.id && live.has(c.component_id)).map((c) => c.component_id)]),
  );
}

function present(r: SubscriberRow, components: string[], zone: string) {
  const quarantined = r.status === "bounced" || r.status === "complained";
  return {
    id: r.id,
    skip_confirmation_notification: false,
    mode: "email",
    email: r.email,
    endpoint: null,
    phone_number: null,
    phone_country: null,
    display_phone_number: null,
    obfuscated_channel_name: null,
    workspace_name: null,
    quarantined_at: quarantined ? rfc3339(r.updated_at, zone) : null,
    purge_at: null,
    components,
    page_access_user_id: null,
    created_at: rfc3339(r.created_at, zone),
  };
}

async function findSubscriber(db: Db, id: string): Promise<SubscriberRow> {
  const row = PUBLIC_ID.test(id) ? await db.selectFrom("subscribers").selectAll().where("id", "=", id).executeTakeFirst() : undefined;
  if (!row) throw notFound("subscriber");
  return row;
}

/** GET …/subscribers (filtered, paged) or …/subscribers/{id}. */
export async function readSubscribers(db: Db, id: string | undefined, query: URLSearchParams, components: PublicComponent[], zone: string) {
  if (id !== undefined) {
    const row = await findSubscriber(db, id);
    return present(row, (await componentsOf(db, [row], components)).get(row.id)!, zone);
  }
  const q = parseQuery(subscriberListQuery, query);
  if (q.type && q.type !== "email") return [];
  let select = db.selectFrom("subscribers").selectAll().where("status", "in", STATES[q.state]);
  if (q.q) select = select.where("email", "like", `%${q.q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`);
  const field = q.sort_field === "primary" ? "email" : q.sort_field === "quarantined_at" ? "updated_at" : "created_at";
  const rows = await select.orderBy(field, q.sort_direction ?? "desc").orderBy("id").limit(q.limit).offset(q.page * q.limit).execute();
  const chosen = await componentsOf(db, rows, components);
  return rows.map((r) => present(r, chosen.get(r.id)!, zone));
}

/** A write under …/subscribers; null when no such endpoint. */
export async function writeSubscribers(db: Db, actor: Actor, method: WriteMethod, id: string | undefined, raw: unknown, components: PublicComponent[], zone: string): Promise<Answer | null> {
  const read = async (subscriberId: string) => readSubscribers(db, subscriberId, new URLSearchParams(), components, zone);
  if (id === undefined && method === "POST") {
    const s = parseBody(subscriberBody, raw).subscriber;
    if (s.email === undefined) {
      const other = s.endpoint !== undefined ? "webhook" : s.phone_number !== undefined ? "SMS" : null;
      throw invalidInput([{ field: "subscriber.email", message: other ? `is required: this API subscribes email addresses, not ${other}` : "is required" }]);
    }
    const created = await asClientFields("subscriber", () => addSubscriber(db, actor, { email: s.email, components: s.component_ids ?? [] }), RENAMES);
    return { status: 201, body: await read(created.id) };
  }
  if (id === "unsubscribe" && method === "POST") {
    const body = parseBody(bulkUnsubscribeBody, raw);
    let chosen = body.subscribers === "all" ? [] : body.subscribers;
    if (body.subscribers === "all") {
      // Statuspage unsubscribes "all" only on pages with fewer than 100 of them; other types have none here.
      const rows = body.type && body.type !== "email" ? [] : await db.selectFrom("subscribers").select("id").where("status", "in", STATES[body.state ?? "active"]).limit(101).execute();
      if (rows.length > 100) throw invalidInput([{ field: "subscribers", message: "all is for fewer than 100 subscribers: list their ids" }]);
      chosen = rows.map((r) => r.id);
    }
    if (chosen.length > 0) await asClientFields("subscribers", () => unsubscribeSubscribers(db, actor, { ids: chosen }), { ids: "" });
    return { status: 201, body: null };
  }
  if (id !== undefined && (method === "PATCH" || method === "PUT")) {
    const body = parseBody(subscriberPatchBody, raw);
    const wanted = body.component_ids ?? body.subscriber?.component_ids;
    await findSubscriber(db, id);
    if (wanted !== undefined) await asClientFields("subscriber", () => setSubscriberComponents(db, actor, { id, components: wanted }), RENAMES);
    return { status: 200, body: await read(id) };
  }
  if (id !== undefined && method === "DELETE") {
    await findSubscriber(db, id);
    await unsubscribeSubscribers(db, actor, { ids: [id] });
    return { status: 200, body: await read(id) };
  }
  return null;
}

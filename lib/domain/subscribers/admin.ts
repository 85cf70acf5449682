import { sql } from "kysely";
import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { SubscriberStatus } from "#db/schema.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { write } from "#lib/domain/write.ts";
import { invalidInput, notFound, parseInput } from "#lib/core/errors.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { issueToken, sendConfirmation, tokenSecret } from "./links.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { componentIds, setComponents, stopMail, subscriberEmail, subscriberLocale, validComponents } from "./subscriptions.ts";

/* The admin's view of subscribers: the list, counts, recipients of an update, erasure and revoking links. */
export const SUBSCRIBER_STATUSES = ["pending", "active", "unsubscribed", "bounced", "complained", "quarantined"] as const satisfies readonly SubscriberStatus[];

/** Invalidates every link a subscriber has; a new manage link is issued with the next email. */
// Subscribers never appear on the public pages: no write here invalidates them.
export async function revokeLinks(db: Db, actor: Actor, subscriberId: string): Promise<void> {
  await write(db, actor, subscriberId, {
    role: "editor",
    schema: publicIdField("subscriber"),
    public: false,
    prepare: (_id, db) => tokenSecret(db),
    async change(trx, subscriberId, secret) {
      await trx
        .updateTable("subscriber_tokens")
        .set({ revoked_at: new Date() })
        .where("subscriber_id", "=", subscriberId)
        .where("revoked_at", "is", null)
        .execute();
      await issueToken(trx, secret, subscriberId, "manage");
      return { result: undefined, audit: { action: "subscriber.revoke_links", subjectType: "subscriber", subjectId: subscriberId } };
    },
  });
}

/** Erases the subscriber and every trace of the address (deliveries, demo outbox). */
export async function deleteSubscriber(db: Db, actor: Actor, input: unknown): Promise<void> {
  await write(db, actor, input, {
    role: "editor",
    schema: z.object({ id: publicIdField("subscriber") }),
    public: false,
    async change(trx, { id }) {
      const row = await trx.deleteFrom("subscribers").where("id", "=", id).returning(["id", "email"]).executeTakeFirst();
      if (!row) throw notFound("subscriber");
      await trx.deleteFrom("deliveries").where("subscriber_id", "=", row.id).execute();
      await trx.deleteFrom("outbox_emails").where("recipient", "=", row.email).execute();
      await trx.deleteFrom("subscribe_attempts").where("scope", "=", "email").where("value", "=", row.email).execute();
      return { result: undefined, audit: { action: "subscriber.delete", subjectType: "subscriber", subjectId: row.id } };
    },
  });
}

/** Active subscribers who would receive an update touching these components (none given: page-wide). */
export async function countRecipients(db: Db | Tx, componentIds: string[]): Promise<number> {
  let query = db
    .selectFrom("subscribers as s")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("s.status", "=", "active")
    .where("s.channel", "=", "email");
  if (componentIds.length > 0) {
    query = query.where((eb) =>
      eb.or([
        eb("s.all_components", "=", true),
        eb.exists(
          eb
            .selectFrom("subscriber_components as sc")
            .select(sql`1`.as("one"))
            .whereRef("sc.subscriber_id", "=", "s.id")
            .where("sc.component_id", "in", componentIds),
        ),
      ]),
    );
  }
  const { n } = await query.executeTakeFirstOrThrow();
  return n;
}

export const listInput = z.object({
  q: z.string().trim().max(320).optional(),
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function listSubscribers(db: Db, input: unknown = {}) {
  const data = parseInput(listInput, input);
  let query = db.selectFrom("subscribers").selectAll().where("channel", "=", "email").$narrowType<{ email: string }>();
  if (data.q) query = query.where("email", "like", `%${data.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (data.status) query = query.where("status", "=", data.status);
  return query.orderBy("created_at", "desc").orderBy("id").limit(data.limit).offset(data.offset).execute();
}

export async function subscriberCounts(db: Db): Promise<Record<SubscriberStatus, number>> {
  const rows = await db
    .selectFrom("subscribers")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .where("channel", "=", "email")
    .groupBy("status").execute();
  const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export const addSubscriberInput = z.object({
  email: subscriberEmail,
  components: componentIds,
  /** The language of their emails; not given: the page's default locale (or, for a known address, as it was). */
  locale: subscriberLocale,
});

/*
 * A subscriber added by an editor or an API key. Double opt-in holds for
 * them too: the address is pending and gets the confirmation email; it
 * hears of incidents only once its owner confirms. An address already
 * pending is sent a fresh confirmation; an active one is refused.
 */
export async function addSubscriber(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: addSubscriberInput,
    public: false,
    prepare: (_data, db) => tokenSecret(db),
    async change(trx, data, secret) {
      const existing = await trx.selectFrom("subscribers").selectAll().where("email", "=", data.email).forUpdate().executeTakeFirst();
      if (existing?.status === "active") throw invalidInput([{ field: "email", message: "is already subscribed" }]);
      const components = await validComponents(trx, data.components);
      const subscriber = existing
        ? await trx
            .updateTable("subscribers")
            .set({ status: "pending", consent_source: "admin", consent_ip: actor.ip ?? null, unsubscribed_at: null, updated_at: new Date(), ...(data.locale ? { locale: data.locale } : {}) })
            .where("id", "=", existing.id)
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .insertInto("subscribers")
            .values({ id: publicId(), email: data.email, locale: data.locale ?? (await getPage(trx)).default_locale, consent_source: "admin", consent_ip: actor.ip ?? null })
            .returningAll()
            .executeTakeFirstOrThrow();
      await setComponents(trx, subscriber.id, components);
      await sendConfirmation(trx, secret, subscriber.id);
      return { result: subscriber, audit: { action: "subscriber.add", subjectType: "subscriber", subjectId: subscriber.id, after: { components } } };
    },
  });
}

/** The components a subscriber hears about (none: all of them). */
export async function setSubscriberComponents(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ id: publicIdField("subscriber"), components: componentIds }),
    public: false,
    async change(trx, data) {
      const row = await trx.selectFrom("subscribers").select("id").where("id", "=", data.id).forUpdate().executeTakeFirst();
      if (!row) throw notFound("subscriber");
      const components = await validComponents(trx, data.components);
      await setComponents(trx, row.id, components);
      return { result: undefined, audit: { action: "subscriber.components", subjectType: "subscriber", subjectId: row.id, after: { components } } };
    },
  });
}

/** Unsubscribe on their owners' behalf (1 to 100 at once): no more mail, the records kept (deleteSubscriber erases). */
export async function unsubscribeSubscribers(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ ids: z.array(publicIdField("subscriber")).min(1, "lists no subscriber").max(100, "lists at most 100") }),
    public: false,
    async change(trx, { ids }) {
      const rows = await trx.selectFrom("subscribers").select(["id", "status"]).where("id", "in", ids).forUpdate().execute();
      const known = new Map(rows.map((r) => [r.id, r.status]));
      const missing = ids.findIndex((id) => !known.has(id));
      if (missing >= 0) throw invalidInput([{ field: `ids.${missing}`, message: "is not a subscriber" }]);
      const stopped = rows.filter((r) => r.status === "active" || r.status === "pending").map((r) => r.id);
      for (const id of stopped) await stopMail(trx, id, "unsubscribed");
      return {
        result: stopped,
        audit: stopped.length ? { action: "subscriber.unsubscribe", subjectType: "subscriber", subjectId: stopped.length === 1 ? stopped[0] : null, after: { ids: stopped } } : null,
      };
    },
  });
}

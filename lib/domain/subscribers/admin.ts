import { sql } from "kysely";
import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { SubscriberStatus } from "#db/schema.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { write } from "#lib/domain/write.ts";
import { notFound, parseInput } from "#lib/core/errors.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { issueToken, tokenSecret } from "./links.ts";

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

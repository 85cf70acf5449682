import { sql } from "kysely";
import type { Db, Tx } from "#db/client.ts";
import { CONFIRM_DAYS } from "./links.ts";
import { ATTEMPTS_KEPT_MINUTES } from "./subscriptions.ts";

/** Pending subscribers whose confirmation can no longer happen: no live confirm link, untouched for CONFIRM_DAYS. */
function expiredPending(db: Db | Tx, now: Date) {
  return db
    .selectFrom("subscribers as s")
    .select("s.id")
    .where("s.status", "=", "pending")
    .where("s.updated_at", "<", new Date(now.getTime() - CONFIRM_DAYS * 86_400_000))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("subscriber_tokens as t")
            .select(sql`1`.as("one"))
            .whereRef("t.subscriber_id", "=", "s.id")
            .where("t.purpose", "=", "confirm")
            .where("t.used_at", "is", null)
            .where("t.revoked_at", "is", null)
            .where("t.expires_at", ">", now),
        ),
      ),
    );
}

/*
 * Retention, run by the scheduler: subscribe attempts older than the longest
 * throttle window (they no longer count), and pending subscribers whose
 * confirmation expired — erased like deleteSubscriber does (their links and
 * choices cascade; deliveries carry no foreign key, so they go explicitly).
 */
export async function pruneSubscriberRecords(db: Db, now: Date = new Date()): Promise<{ attempts: number; pending: number }> {
  return db.transaction().execute(async (trx) => {
    const attempts = await trx
      .deleteFrom("subscribe_attempts")
      .where("at", "<", new Date(now.getTime() - ATTEMPTS_KEPT_MINUTES * 60_000))
      .executeTakeFirst();
    await trx.deleteFrom("deliveries").where("subscriber_id", "in", expiredPending(trx, now)).execute();
    // The local outbox's copies of their confirmation emails hold the address and its links.
    await trx.deleteFrom("outbox_emails").where("recipient", "in", expiredPending(trx, now).clearSelect().select("s.email")).execute();
    const pending = await trx.deleteFrom("subscribers").where("id", "in", expiredPending(trx, now)).executeTakeFirst();
    return { attempts: Number(attempts.numDeletedRows), pending: Number(pending.numDeletedRows) };
  });
}

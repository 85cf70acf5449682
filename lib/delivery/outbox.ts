import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { DeliveryStatus } from "#db/schema.ts";
import { requireRole, type Actor } from "#lib/domain/actors.ts";
import { write } from "#lib/domain/write.ts";
import { parseInput } from "#lib/core/errors.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { redactEmail } from "./mailer.ts";

/* The admin's outbox: progress per update, the deliveries, retrying failures, and the demo outbox's emails. */
export type DeliveryCounts = Record<DeliveryStatus, number> & { total: number };

/** Progress of one update's emails. */
export async function deliveryCounts(db: Db, updateId: string): Promise<DeliveryCounts> {
  const rows = await db
    .selectFrom("deliveries")
    .select(["status", sql<number>`count(*)::int`.as("n")])
    .where("update_id", "=", updateId)
    .groupBy("status")
    .execute();
  const counts: DeliveryCounts = { queued: 0, sending: 0, sent: 0, failed: 0, superseded: 0, bounced: 0, total: 0 };
  for (const r of rows) {
    counts[r.status] = r.n;
    counts.total += r.n;
  }
  return counts;
}

export const retryInput = z.object({ updateId: publicIdField("update").optional() });

/** "Retry failed": failed deliveries are queued again with fresh attempts. */
export async function retryFailed(db: Db, actor: Actor, input: unknown): Promise<number> {
  return write(db, actor, input, {
    role: "editor",
    schema: retryInput,
    public: false,
    async change(trx, data) {
      let query = trx
        .updateTable("deliveries")
        .set({ status: "queued", attempts: 0, next_attempt_at: new Date(), lease_until: null, batch_key: null, updated_at: new Date() })
        .where("status", "=", "failed");
      if (data.updateId) query = query.where("update_id", "=", data.updateId);
      const result = await query.executeTakeFirst();
      const n = Number(result.numUpdatedRows);
      return { result: n, audit: { action: "deliveries.retry_failed", subjectType: "update", subjectId: data.updateId ?? null, after: { n } } };
    },
  });
}

export const outboxListInput = z.object({
  status: z.enum(["queued", "sending", "sent", "failed", "superseded", "bounced"]).optional(),
  updateId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Recent deliveries for the admin outbox. */
export async function listDeliveries(db: Db, input: unknown = {}) {
  const data = parseInput(outboxListInput, input);
  let query = db
    .selectFrom("deliveries as d")
    .innerJoin("subscribers as s", "s.id", "d.subscriber_id")
    .leftJoin("incidents as i", "i.id", "d.incident_id")
    .select([
      "d.id",
      "d.kind",
      "d.status",
      "d.mode",
      "d.attempts",
      "d.last_error",
      "d.created_at",
      "d.sent_at",
      "d.update_id",
      "s.email",
      "i.reference",
      "i.name as incident_name",
    ]);
  if (data.status) query = query.where("d.status", "=", data.status);
  if (data.updateId) query = query.where("d.update_id", "=", data.updateId);
  return query.orderBy("d.id", "desc").limit(data.limit).execute();
}

/** Per-update progress for the most recent updates that notified anyone. */
export async function recentSends(db: Db, limit = 20) {
  return db
    .selectFrom("deliveries as d")
    .innerJoin("incident_updates as u", "u.id", "d.update_id")
    .innerJoin("incidents as i", "i.id", "u.incident_id")
    .select([
      "u.id as update_id",
      "u.status as update_status",
      "u.created_at",
      "i.reference",
      "i.name",
      sql<number>`count(*)::int`.as("total"),
      sql<number>`(count(*) filter (where d.status = 'queued'))::int`.as("queued"),
      sql<number>`(count(*) filter (where d.status = 'sending'))::int`.as("sending"),
      sql<number>`(count(*) filter (where d.status = 'sent'))::int`.as("sent"),
      sql<number>`(count(*) filter (where d.status = 'failed'))::int`.as("failed"),
      sql<number>`(count(*) filter (where d.status = 'superseded'))::int`.as("superseded"),
      sql<number>`(count(*) filter (where d.status = 'bounced'))::int`.as("bounced"),
      sql<string | null>`max(d.mode)`.as("mode"),
    ])
    .groupBy(["u.id", "u.status", "u.created_at", "i.reference", "i.name"])
    .orderBy("u.created_at", "desc")
    .limit(limit)
    .execute();
}

/*
 * Demo outbox (no RESEND_API_KEY): the emails as they would have gone out.
 * Their links carry subscribers' tokens: owners see them as sent, everyone
 * else redacted.
 */
export async function listOutboxEmails(db: Db, actor: Actor, limit = 50) {
  requireRole(actor, "viewer");
  const rows = await db.selectFrom("outbox_emails").selectAll().orderBy("created_at", "desc").limit(limit).execute();
  return actor.role === "owner" ? rows : rows.map(redactEmail);
}

export async function getOutboxEmail(db: Db, actor: Actor, id: string) {
  requireRole(actor, "viewer");
  const row = await db.selectFrom("outbox_emails").selectAll().where("id", "=", id).executeTakeFirst();
  return row && actor.role !== "owner" ? redactEmail(row) : row;
}

import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db, Tx } from "#db/client.ts";
import type { DeliveryKind, SubscriberStatus } from "#db/schema.ts";
import type { Locale } from "#lib/core/locales.ts";
import { BATCH_SIZE, deliveryConfig } from "./config.ts";
import { idempotencyKey } from "./enqueue.ts";

export interface Claimed {
  id: string;
  subscriberId: string;
  email: string;
  subscriberStatus: SubscriberStatus;
  /** The subscriber's language, as read when claimed. */
  locale: Locale;
  kind: DeliveryKind;
  incidentId: string | null;
  updateId: string | null;
  tokenId: string | null;
  manageTokenId: string | null;
  idempotencyKey: string;
  attempts: number;
  priority: number;
}

export type Job = { type: "single"; delivery: Claimed } | { type: "batch"; key: string; deliveries: Claimed[] };

export const lease = () => sql`now() + ${deliveryConfig().leaseMs} * interval '1 millisecond'`;

async function details(db: Db, ids: string[]): Promise<Claimed[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("deliveries as d")
    .innerJoin("subscribers as s", "s.id", "d.subscriber_id")
    .select([
      "d.id",
      "d.subscriber_id",
      "s.email",
      "s.status as subscriber_status",
      "s.locale",
      "d.kind",
      "d.incident_id",
      "d.update_id",
      "d.token_id",
      "d.attempts",
      "d.priority",
      (eb) =>
        eb
          .selectFrom("subscriber_tokens as t")
          .select("t.id")
          .whereRef("t.subscriber_id", "=", "d.subscriber_id")
          .where("t.purpose", "=", "manage")
          .where("t.revoked_at", "is", null)
          .orderBy("t.created_at", "desc")
          .limit(1)
          .as("manage_token_id"),
    ])
    .where("d.id", "in", ids)
    // Email deliveries only (every claim here filters channel = 'email'); they have an address.
    .$narrowType<{ email: string }>()
    .orderBy("d.id")
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    subscriberId: r.subscriber_id,
    email: r.email,
    subscriberStatus: r.subscriber_status,
    locale: r.locale,
    kind: r.kind,
    incidentId: r.incident_id,
    updateId: r.update_id,
    tokenId: r.token_id,
    manageTokenId: r.manage_token_id,
    idempotencyKey: idempotencyKey({ kind: r.kind, updateId: r.update_id, subscriberId: r.subscriber_id, tokenId: r.token_id }),
    attempts: r.attempts,
    priority: r.priority,
  }));
}

export const ids = (rows: { id: string | number }[]) => rows.map((r) => String(r.id));

/*
 * Claims walk the claim index in order and stop at the limit. Right after a
 * large enqueue the statistics still describe a small table, and the planner
 * would rather fetch every queued row and sort them (50 ms per claim at
 * 100,000 rows); these settings, local to the claim's transaction, keep it
 * on the ordered index walk.
 */
export async function ordered<T>(db: Db, query: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    return query(trx);
  });
}

/** Priorities (deliveries.priority, derived from the kind): what subscribers wait for, then confirmations. */
export const HIGH = 0;
const LOW = 1;
export const priorityOf = (job: Job) => (job.type === "single" ? job.delivery.priority : HIGH);
export const jobIds = (job: Job) => (job.type === "single" ? [job.delivery.id] : job.deliveries.map((d) => d.id));

/* Deliveries of one priority whose lease ran out (a crashed worker, a retry whose wait is over), with their original key. */
async function claimDue(db: Db, priority: number, limit: number): Promise<Job[]> {
  const due = await sql<{ id: string }>`
    with picked as (
      select id from deliveries
      where status = 'sending' and lease_until < now() and batch_key is null and priority = ${priority} and channel = 'email'
      order by lease_until limit ${limit}
      for update skip locked)
    update deliveries d set lease_until = ${lease()}, updated_at = now()
    from picked where d.id = picked.id and d.status = 'sending' and d.lease_until < now()
    returning d.id`.execute(db);
  return (await details(db, ids(due.rows))).map((delivery) => ({ type: "single", delivery }));
}

/* New single-email deliveries of one priority, oldest first, walking deliveries_claim in order. */
async function claimFresh(db: Db, priority: number, limit: number): Promise<Job[]> {
  const fresh = await ordered(db, (trx) => sql<{ id: string }>`
    with picked as (
      select d.id from deliveries d
      where d.status = 'queued' and d.channel = 'email' and d.priority = ${priority} and d.next_attempt_at <= now() and d.mode = 'attach'
        and not exists (
          select 1 from deliveries o
          where o.incident_id = d.incident_id and o.subscriber_id = d.subscriber_id and o.status = 'sending')
      order by d.next_attempt_at, d.id
      limit ${limit}
      for update skip locked)
    update deliveries d set status = 'sending', lease_until = ${lease()}, updated_at = now()
    from picked where d.id = picked.id and d.status = 'queued'
    returning d.id`.execute(trx));
  return (await details(db, ids(fresh.rows))).map((delivery) => ({ type: "single", delivery }));
}

/*
 * Claims up to `limit` requests' worth of work, all high-priority work
 * first: due retries (with their original key and batch), new single
 * emails, batches. Only then, up to `lowLimit`, confirmations: due ones, then new.
 */
export async function claimJobs(db: Db, limit: number, lowLimit = limit): Promise<Job[]> {
  const jobs: Job[] = await claimDue(db, HIGH, limit);

  const dueBatch = await sql<{ batch_key: string }>`
    select batch_key from deliveries
    where status = 'sending' and lease_until < now() and batch_key is not null
    order by lease_until limit 1 for update skip locked`.execute(db);
  for (const { batch_key } of dueBatch.rows) {
    const rows = await sql<{ id: string }>`
      update deliveries set lease_until = ${lease()}, updated_at = now()
      where batch_key = ${batch_key} and status = 'sending' and lease_until < now()
      returning id`.execute(db);
    if (rows.rows.length > 0) jobs.push({ type: "batch", key: batch_key, deliveries: await details(db, ids(rows.rows)) });
  }
  if (jobs.length >= limit) return jobs;

  jobs.push(...(await claimFresh(db, HIGH, limit - jobs.length)));
  if (jobs.length >= limit) return jobs;

  // A couple of batches per claim: enough to keep lanes busy, and the first request leaves at once.
  for (let claimed = 0; claimed < 2 && jobs.length < limit; claimed++) {
    const key = `b:${randomUUID()}`;
    // Any queued batch-mode rows (priority 0 only: the table's check), oldest first: a batch may mix updates (each email stands alone).
    const batch = await ordered(db, (trx) => sql<{ id: string }>`
      with picked as (
        select d.id from deliveries d
        where d.status = 'queued' and d.channel = 'email' and d.priority = ${HIGH} and d.mode = 'batch' and d.next_attempt_at <= now()
          and not exists (
            select 1 from deliveries o
            where o.incident_id = d.incident_id and o.subscriber_id = d.subscriber_id and o.status = 'sending')
        order by d.next_attempt_at, d.id limit ${BATCH_SIZE}
        for update skip locked)
      update deliveries d set status = 'sending', batch_key = ${key}, lease_until = ${lease()}, updated_at = now()
      from picked where d.id = picked.id and d.status = 'queued'
      returning d.id`.execute(trx));
    if (batch.rows.length === 0) break;
    jobs.push({ type: "batch", key, deliveries: await details(db, ids(batch.rows)) });
  }

  const low = Math.min(limit - jobs.length, lowLimit);
  if (low <= 0) return jobs;
  const dueLow = await claimDue(db, LOW, low);
  jobs.push(...dueLow);
  if (low - dueLow.length > 0) jobs.push(...(await claimFresh(db, LOW, low - dueLow.length)));
  return jobs;
}

/** Claimed work handed back unsent: due again at once, keys and batches unchanged. */
export async function handBack(db: Db, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await sql`update deliveries set lease_until = now() where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
}

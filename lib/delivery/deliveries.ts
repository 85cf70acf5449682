import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import { Resend } from "resend";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import type { DeliveryKind, DeliveryStatus, IncidentKind, SendingMode, SubscriberStatus } from "#db/schema.ts";
import { personalise, renderConfirmationEmail, renderUpdateEmail } from "#emails/render.tsx";
import type { MailIncident, MailPage, RenderedEmail, TimelineEntry } from "#emails/types.ts";
import { requireRole, type Actor } from "#lib/domain/actors.ts";
import { recordAudit } from "#lib/domain/audit.ts";
import { parseInput } from "#lib/core/errors.ts";
import { publicIdField, wholeNumber } from "#lib/core/forms.ts";
import { createMailer, redactEmail, senderAddress, sendRate, type Mailer, type OutgoingEmail, type SendOutcome } from "./mailer.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { CONFIRM_DAYS, confirmUrl, countRecipients, linkToken, markUndeliverable, subscriberLinks, tokenSecret } from "#lib/domain/subscribers.ts";

/*
 * Deliveries: the durable outbox, one row per subscriber per email.
 *
 * - Enqueued in the same transaction as the update, with one INSERT … SELECT.
 * - A worker claims rows (FOR UPDATE SKIP LOCKED) and moves them to `sending`
 *   with a lease. A claimed row keeps its idempotency key (and, in batch mode,
 *   its batch) until it is resolved: retries after a 5xx, a timeout, a 429 or a
 *   crash send the very same request, so the provider never sends it twice.
 * - A newer update of the same incident supersedes a subscriber's still-queued
 *   delivery, and a delivery is never claimed while an older one for the same
 *   subscriber and incident is in flight: nobody gets a stale email after a newer one.
 * - One row in send_rate paces every worker of every process to the provider's rate.
 */
export const BATCH_SIZE = 100;

/** Tunables, read when used so tests and benchmarks can shorten them. */
export function deliveryConfig() {
  const env = (name: string, fallback: number) => {
    const value = Number(process.env[name]);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    maxAttempts: env("DELIVERY_MAX_ATTEMPTS", 12),
    leaseMs: env("DELIVERY_LEASE_MS", 60_000),
    backoffBaseMs: env("DELIVERY_BACKOFF_MS", 1_000),
    backoffMaxMs: env("DELIVERY_BACKOFF_MAX_MS", 5 * 60_000),
  };
}

export interface MailSettings {
  mode: "attach" | "batch" | "auto";
  targetSeconds: number;
}

export async function getMailSettings(db: Db | Tx): Promise<MailSettings> {
  await tokenSecret(db);
  const row = await db.selectFrom("mail_settings").select(["mode", "target_seconds"]).executeTakeFirst();
  return { mode: row?.mode ?? "auto", targetSeconds: row?.target_seconds ?? 120 };
}

export const mailSettingsInput = z.object({
  mode: z.enum(["attach", "batch", "auto"]),
  targetSeconds: wholeNumber(1, 86_400),
});

export async function updateMailSettings(db: Db, actor: Actor, input: unknown): Promise<MailSettings> {
  requireRole(actor, "owner");
  const data = parseInput(mailSettingsInput, input);
  await tokenSecret(db);
  return db.transaction().execute(async (trx) => {
    const before = await getMailSettings(trx);
    await trx.updateTable("mail_settings").set({ mode: data.mode, target_seconds: data.targetSeconds }).execute();
    await recordAudit(trx, actor, { action: "mail_settings.update", subjectType: "mail_settings", before, after: data });
    return data;
  });
}

/** Seconds to send `recipients` emails at `rate` requests/second in a mode. */
export function deliverySeconds(recipients: number, mode: SendingMode, rate = sendRate()): number {
  const requests = mode === "attach" ? recipients : Math.ceil(recipients / BATCH_SIZE);
  return requests / rate;
}

export function chooseMode(settings: MailSettings, recipients: number, rate = sendRate()): SendingMode {
  if (settings.mode !== "auto") return settings.mode;
  return deliverySeconds(recipients, "attach", rate) <= settings.targetSeconds ? "attach" : "batch";
}

/** For the admin preview: who would get an update on these components, how, and how long it would take. */
export async function estimateDelivery(db: Db, componentIds: string[]) {
  const recipients = await countRecipients(db, componentIds);
  const mode = chooseMode(await getMailSettings(db), recipients);
  return { recipients, mode, seconds: Math.ceil(deliverySeconds(recipients, mode)) };
}

/** Active subscribers following the incident: all-components ones, or ones who chose an affected component. */
function matchingSubscribers(incidentId: string) {
  return sql`s.status = 'active' and (
    s.all_components
    or not exists (select 1 from incident_components ic where ic.incident_id = ${incidentId})
    or exists (
      select 1 from subscriber_components sc
      join incident_components ic on ic.component_id = sc.component_id
      where ic.incident_id = ${incidentId} and sc.subscriber_id = s.id
    ))`;
}

/*
 * Called inside the transaction that posts an update (applyUpdate): older
 * queued deliveries of the same incident to the matching subscribers are
 * superseded, then one delivery per matching subscriber is inserted in one
 * statement.
 */
export async function enqueueUpdate(
  trx: Tx,
  incident: { id: string; kind: IncidentKind },
  updateId: string,
): Promise<{ recipients: number; mode: SendingMode }> {
  const kind: DeliveryKind = incident.kind === "maintenance" ? "maintenance" : "incident";
  // Before inserting, so only the (few) older queued rows of this incident are looked at.
  await sql`
    update deliveries d set status = 'superseded', last_error = 'superseded by a newer update', updated_at = now()
    where d.incident_id = ${incident.id} and d.status = 'queued' and d.kind <> 'confirmation'
      and exists (select 1 from subscribers s where s.id = d.subscriber_id and ${matchingSubscribers(incident.id)})`.execute(trx);
  const { n } = (
    await sql<{ n: number }>`select count(*)::int as n from subscribers s where ${matchingSubscribers(incident.id)}`.execute(trx)
  ).rows[0];
  const mode = chooseMode(await getMailSettings(trx), n);
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, incident_id, update_id, mode)
    select s.id, ${kind}::text, ${incident.id}::text, ${updateId}::text, ${mode}::text
    from subscribers s
    where ${matchingSubscribers(incident.id)}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0), mode };
}

/*
 * A published postmortem, when the editor chose to notify: one notice per
 * matching subscriber, tied to the incident's latest update (its timeline).
 */
export async function enqueuePostmortem(trx: Tx, incident: { id: string }, latestUpdateId: string): Promise<{ recipients: number }> {
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, incident_id, update_id)
    select s.id, 'postmortem', ${incident.id}::text, ${latestUpdateId}::text
    from subscribers s
    where ${matchingSubscribers(incident.id)}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0) };
}

/** The provider's idempotency key of a delivery: one per subscriber per update and kind (or per confirmation link). */
export function idempotencyKey(d: { kind: DeliveryKind; updateId: string | null; subscriberId: string; tokenId: string | null }): string {
  if (!d.updateId) return `c:${d.tokenId}`;
  return `${d.kind === "postmortem" ? "p" : "u"}:${d.updateId}:${d.subscriberId}`;
}

export interface Claimed {
  id: string;
  subscriberId: string;
  email: string;
  subscriberStatus: SubscriberStatus;
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

const lease = () => sql`now() + ${deliveryConfig().leaseMs} * interval '1 millisecond'`;

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
    .orderBy("d.id")
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    subscriberId: r.subscriber_id,
    email: r.email,
    subscriberStatus: r.subscriber_status,
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

const ids = (rows: { id: string | number }[]) => rows.map((r) => String(r.id));

/*
 * Claims walk the claim index in order and stop at the limit. Right after a
 * large enqueue the statistics still describe a small table, and the planner
 * would rather fetch every queued row and sort them (50 ms per claim at
 * 100,000 rows); these settings, local to the claim's transaction, keep it
 * on the ordered index walk.
 */
async function ordered<T>(db: Db, query: (trx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_bitmapscan = off`.execute(trx);
    await sql`set local enable_sort = off`.execute(trx);
    return query(trx);
  });
}

/** Priorities (deliveries.priority, derived from the kind): what subscribers wait for, then confirmations. */
const HIGH = 0;
const LOW = 1;
const priorityOf = (job: Job) => (job.type === "single" ? job.delivery.priority : HIGH);
const jobIds = (job: Job) => (job.type === "single" ? [job.delivery.id] : job.deliveries.map((d) => d.id));

/* Deliveries of one priority whose lease ran out (a crashed worker, a retry whose wait is over), with their original key. */
async function claimDue(db: Db, priority: number, limit: number): Promise<Job[]> {
  const due = await sql<{ id: string }>`
    with picked as (
      select id from deliveries
      where status = 'sending' and lease_until < now() and batch_key is null and priority = ${priority}
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
      where d.status = 'queued' and d.priority = ${priority} and d.next_attempt_at <= now() and d.mode = 'attach'
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
        where d.status = 'queued' and d.priority = ${HIGH} and d.mode = 'batch' and d.next_attempt_at <= now()
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
async function handBack(db: Db, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await sql`update deliveries set lease_until = now() where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
}

/*
 * The shared rate limiter: every request, from any worker in any process,
 * first reserves the next free slot (1/rate seconds apart) on one row, and
 * waits for it. Times come from the database's clock, so hosts need not agree.
 */
export async function acquireSlot(db: Db, rate = sendRate()): Promise<void> {
  const { interval, slack } = slotTimes(rate);
  const { rows } = await sql<{ wait_ms: number }>`
    insert into send_rate as r (name, next_at) values ('resend', clock_timestamp() + ${interval} * interval '1 millisecond')
    on conflict (name) do update
      set next_at = greatest(r.next_at, clock_timestamp() - ${slack} * interval '1 millisecond') + ${interval} * interval '1 millisecond'
    returning (extract(epoch from (r.next_at - clock_timestamp())) * 1000 - ${interval})::float8 as wait_ms`.execute(db);
  const wait = rows[0]?.wait_ms ?? 0;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/*
 * Low-priority mail takes a slot only when one is free right now and never
 * reserves ahead, so an incident email arriving later waits at most one
 * slot, however many confirmations are queued; with nothing else to send
 * they still get every slot. Returns 0 when the slot was taken, else the
 * milliseconds until the next one frees up.
 */
export async function takeFreeSlot(db: Db, rate = sendRate()): Promise<number> {
  const { interval, slack } = slotTimes(rate);
  const taken = await sql`
    insert into send_rate as r (name, next_at) values ('resend', clock_timestamp() + ${interval} * interval '1 millisecond')
    on conflict (name) do update
      set next_at = greatest(r.next_at, clock_timestamp() - ${slack} * interval '1 millisecond') + ${interval} * interval '1 millisecond'
      where r.next_at <= clock_timestamp()
    returning 1`.execute(db);
  if (taken.rows.length > 0) return 0;
  const { rows } = await sql<{ wait_ms: number }>`
    select (extract(epoch from (next_at - clock_timestamp())) * 1000)::float8 as wait_ms from send_rate where name = 'resend'`.execute(db);
  return Math.max(1, Math.ceil(rows[0]?.wait_ms ?? 1));
}

function slotTimes(rate: number) {
  const interval = 1000 / rate;
  // A slot missed by up to a quarter second (a slow lane, a GC pause) may be caught up, never more.
  return { interval, slack: Math.floor(250 / interval) * interval };
}

/** The provider said 429: every worker holds off until retry-after has passed. */
async function holdOff(db: Db, ms: number): Promise<void> {
  await sql`
    update send_rate set next_at = greatest(next_at, clock_timestamp() + ${ms} * interval '1 millisecond')
    where name = 'resend'`.execute(db);
}

async function resolve(db: Db, deliveryIds: string[], outcome: SendOutcome): Promise<void> {
  if (outcome.ok) {
    if (deliveryIds.length === 1) {
      await sql`update deliveries set status = 'sent', sent_at = now(), resend_id = ${outcome.ids[0] ?? null}, lease_until = null,
          attempts = attempts + 1, last_error = null, updated_at = now()
        where id = ${deliveryIds[0]} and status = 'sending'`.execute(db);
    } else {
      await sql`update deliveries d set status = 'sent', sent_at = now(), resend_id = r.resend_id, lease_until = null,
          attempts = attempts + 1, last_error = null, updated_at = now()
        from (select unnest(${deliveryIds}::bigint[]) as id, unnest(${outcome.ids}::text[]) as resend_id) r
        where d.id = r.id and d.status = 'sending'`.execute(db);
    }
    return;
  }
  if (outcome.kind === "rate_limited") {
    await holdOff(db, outcome.retryAfterMs);
    await sql`update deliveries set lease_until = now() + ${outcome.retryAfterMs} * interval '1 millisecond',
        last_error = ${outcome.message}, updated_at = now()
      where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
    return;
  }
  if (outcome.kind === "permanent" && /invalid_idempotent_request/.test(outcome.message)) {
    // The key was already used with a different body: the provider accepted this delivery earlier.
    await sql`update deliveries set status = 'sent', sent_at = now(), lease_until = null, last_error = ${outcome.message}, updated_at = now()
      where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
    return;
  }
  const { maxAttempts, backoffBaseMs, backoffMaxMs } = deliveryConfig();
  // Exponential backoff with "equal jitter": between half and all of base × 2^attempts, capped.
  await sql`update deliveries set attempts = attempts + 1, last_error = ${outcome.message}, updated_at = now(),
      status = case when ${outcome.kind}::text = 'permanent' or attempts + 1 >= ${maxAttempts} then 'failed' else 'sending' end,
      lease_until = case when ${outcome.kind}::text = 'permanent' or attempts + 1 >= ${maxAttempts} then null
        else now() + least(${backoffMaxMs}::float8, ${backoffBaseMs}::float8 * power(2, attempts)) * (0.5 + 0.5 * random()) * interval '1 millisecond' end
    where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
}

/*
 * Deliveries whose subscriber stopped mail since they were queued are dropped,
 * not sent (status as read when claimed: stopping mail also drops queued rows).
 */
async function dropInactive(db: Db, deliveries: Claimed[]): Promise<Claimed[]> {
  const keep: Claimed[] = [];
  const drop: Record<"superseded" | "bounced", string[]> = { superseded: [], bounced: [] };
  for (const d of deliveries) {
    const ok = d.kind === "confirmation" ? d.subscriberStatus === "pending" : d.subscriberStatus === "active";
    if (ok) keep.push(d);
    else drop[d.subscriberStatus === "bounced" || d.subscriberStatus === "complained" ? "bounced" : "superseded"].push(d.id);
  }
  for (const [to, list] of Object.entries(drop)) {
    if (list.length === 0) continue;
    await sql`update deliveries set status = ${to}::text, lease_until = null, last_error = 'subscriber no longer active', updated_at = now()
      where id = any(${list}::bigint[]) and status = 'sending'`.execute(db);
  }
  return keep;
}

type MailPageRow = MailPage & { from: string };

async function mailPage(db: Db): Promise<MailPageRow> {
  const page = await getPage(db);
  return { name: page.name, url: page.url.replace(/\/+$/, ""), timeZone: page.time_zone, from: senderAddress(page) };
}

/** The data for an update's email: the timeline as it stood when the update was posted, newest first. */
export async function loadUpdateMail(db: Db, updateId: string) {
  const update = await db.selectFrom("incident_updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
  const incident = await db.selectFrom("incidents").selectAll().where("id", "=", update.incident_id).executeTakeFirstOrThrow();
  const updates = await db
    .selectFrom("incident_updates")
    .selectAll()
    .where("incident_id", "=", incident.id)
    .where("created_at", "<=", update.created_at)
    .orderBy("display_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  const changes =
    updates.length === 0
      ? []
      : await db
          .selectFrom("update_component_changes as c")
          .innerJoin("components as k", "k.id", "c.component_id")
          .select(["c.update_id", "k.name", "c.old_status", "c.new_status"])
          .where(
            "c.update_id",
            "in",
            updates.map((u) => u.id),
          )
          .orderBy("k.position")
          .execute();
  const entries: TimelineEntry[] = updates.map((u) => ({
    id: u.id,
    status: u.status,
    body: u.body,
    displayAt: u.display_at,
    changes: changes.filter((c) => c.update_id === u.id).map((c) => ({ component: c.name, from: c.old_status, to: c.new_status })),
  }));
  // The announced update leads even when it was backfilled to an earlier time.
  const ordered = [entries.find((e) => e.id === updateId)!, ...entries.filter((e) => e.id !== updateId)];
  const mailIncident: MailIncident = {
    id: incident.id,
    reference: incident.reference,
    kind: incident.kind,
    name: incident.name,
    scheduledFor: incident.scheduled_for,
    scheduledUntil: incident.scheduled_until,
    sequence: incident.sequence,
    cancelled: incident.cancelled_at !== null,
    postmortemBody: incident.postmortem_body,
  };
  return { incident: mailIncident, updates: ordered };
}

/*
 * One render per update and mode (cached), personalised per recipient by
 * replacing the link placeholders.
 */
export class EmailComposer {
  private readonly cache = new Map<string, Promise<RenderedEmail>>();
  private page: Promise<MailPageRow> | null = null;
  private pageAt = 0;
  private secret: Promise<string> | null = null;
  constructor(private readonly db: Db) {}

  private template(key: string, make: () => Promise<RenderedEmail>): Promise<RenderedEmail> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = make();
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
      if (this.cache.size > 100) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  async compose(d: Claimed, mode: SendingMode): Promise<OutgoingEmail> {
    // Page settings (name, URL, sender) are re-read every minute in a long-running worker.
    if (!this.page || Date.now() - this.pageAt > 60_000) {
      this.page = mailPage(this.db);
      this.pageAt = Date.now();
    }
    this.secret ??= tokenSecret(this.db);
    const [page, secret] = await Promise.all([this.page, this.secret]);
    if (d.kind === "confirmation") {
      const email = await renderConfirmationEmail(page, confirmUrl(page.url, linkToken(secret, d.tokenId!)), CONFIRM_DAYS);
      return { ...email, from: page.from, to: d.email };
    }
    const reason = d.kind === "postmortem" ? "postmortem" : "update";
    const base = await this.template(`${d.updateId}:${mode}:${reason}`, async () => {
      const { incident, updates } = await loadUpdateMail(this.db, d.updateId!);
      return renderUpdateEmail({ page, incident, updates, reason, mode });
    });
    if (!d.manageTokenId) throw new Error(`subscriber ${d.subscriberId} has no manage link`);
    const links = subscriberLinks(page.url, linkToken(secret, d.manageTokenId));
    return { ...personalise(base, links), from: page.from, to: d.email };
  }
}

export interface WorkerOptions {
  db: Db;
  mailer?: Mailer;
  /** Requests in flight at once in this worker. */
  concurrency?: number;
  /** How long to wait when there is nothing to send. */
  pollMs?: number;
  rate?: number;
  log?: (message: string) => void;
}

export interface Worker {
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
}

/*
 * A sending worker: `concurrency` lanes take jobs from a local queue that is
 * refilled by claiming from the database. Any number may run, in any number
 * of processes.
 */
export function startWorker(options: WorkerOptions): Worker {
  const { db } = options;
  const mailer = options.mailer ?? createMailer(db);
  const rate = options.rate ?? sendRate();
  const lanes = options.concurrency ?? Number(process.env.WORKER_CONCURRENCY ?? 8);
  const pollMs = options.pollMs ?? Number(process.env.WORKER_POLL_MS ?? 250);
  const log = options.log ?? ((m: string) => console.error(`[worker] ${m}`));
  // Claim no more than several workers could send well within a lease at the shared rate.
  const claimSize = Math.max(1, Math.min(lanes * 2, Math.floor((rate * deliveryConfig().leaseMs) / 1000 / 16)));
  const composer = new EmailComposer(db);
  const queue: Job[] = [];
  let stopped = false;
  let wake: (() => void) | null = null;

  const holdsHigh = () => queue.some((j) => priorityOf(j) === HIGH);
  let refilling: Promise<number> | null = null;
  /*
   * Claims more work; resolves to how many jobs were claimed (0: nothing due).
   * Confirmations are only held while nothing more urgent is, and at most one
   * per lane: high-priority work that arrives sends them back to the database
   * (where they wait, due, behind it) rather than letting their leases run out here.
   */
  const refill = () => {
    refilling ??= claimJobs(db, claimSize, holdsHigh() ? 0 : Math.max(0, lanes - queue.length))
      .then(async (jobs) => {
        queue.push(...jobs);
        if (holdsHigh()) {
          const low = queue.filter((j) => priorityOf(j) !== HIGH);
          queue.splice(0, queue.length, ...queue.filter((j) => priorityOf(j) === HIGH));
          await handBack(db, low.flatMap(jobIds));
        }
        return jobs.length;
      })
      .catch(async (error: unknown) => {
        // Database unreachable: say so once per attempt and hold every lane off for a while.
        log(`claim failed: ${(error as Error).message}; retrying in 5 s`);
        await new Promise((resolve) => setTimeout(resolve, stopped ? 0 : 5_000));
        return 0;
      })
      .finally(() => (refilling = null));
    return refilling;
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  async function run(job: Job) {
    const all = job.type === "single" ? [job.delivery] : job.deliveries;
    const live = await dropInactive(db, all);
    if (live.length === 0) return;
    const mode: SendingMode = job.type === "single" ? "attach" : "batch";
    let emails: OutgoingEmail[];
    try {
      emails = await Promise.all(live.map((d) => composer.compose(d, mode)));
    } catch (error) {
      await resolve(db, ids(live), { ok: false, kind: "transient", message: `render failed: ${(error as Error).message}` });
      return;
    }
    if (priorityOf(job) === HIGH) await acquireSlot(db, rate);
    else if (!(await freeSlotOrYield(ids(live)))) return;
    const outcome =
      job.type === "single"
        ? await mailer.send(emails[0], job.delivery.idempotencyKey)
        : await mailer.sendBatch(emails, job.key);
    if (outcome.ok) {
      sent.ids.push(...ids(live));
      sent.resendIds.push(...outcome.ids);
      if (sent.ids.length >= 200) void flushSent();
    } else await resolve(db, ids(live), outcome);
  }

  /*
   * Successes are marked sent in one statement every 100 ms instead of one
   * per email. A crash before the flush only means a resend with the same
   * idempotency key, which the provider answers without sending again.
   */
  const sent = { ids: [] as string[], resendIds: [] as string[] };
  let flushing: Promise<void> = Promise.resolve();
  const flushSent = () => {
    if (sent.ids.length === 0) return flushing;
    const batch = { ids: sent.ids.splice(0), resendIds: sent.resendIds.splice(0) };
    flushing = flushing
      .then(() => resolve(db, batch.ids, { ok: true, ids: batch.resendIds }))
      .catch((error: unknown) => log(`marking sent failed: ${(error as Error).message}`));
    return flushing;
  };
  const flushTimer = setInterval(() => void flushSent(), 100);

  /*
   * A low-priority job waits for a slot no one else wants; it gives its lane
   * up (handing the delivery back) when more urgent work is waiting here,
   * when the worker stops, or before its lease could run out.
   */
  async function freeSlotOrYield(deliveryIds: string[]): Promise<boolean> {
    const started = Date.now();
    for (;;) {
      const wait = await takeFreeSlot(db, rate);
      if (wait === 0) return true;
      if (stopped || holdsHigh() || Date.now() - started > deliveryConfig().leaseMs / 4) {
        await handBack(db, deliveryIds);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, pollMs)));
    }
  }

  async function lane() {
    while (!stopped) {
      const job = queue.shift();
      // Claim ahead while the lanes still have work, so they never wait on the database; and
      // while only confirmations are held, at every job, so an incident update is seen at once.
      if (job && (queue.length < lanes || !holdsHigh())) void refill();
      if (!job) {
        if ((await refill()) === 0 && !stopped) await sleep(pollMs);
        continue;
      }
      try {
        await run(job);
      } catch (error) {
        log(`send failed: ${(error as Error).message}`);
      }
    }
  }

  const done = Promise.all(Array.from({ length: lanes }, lane)).then(async () => {
    clearInterval(flushTimer);
    await flushSent();
    // Claimed but never started: hand them back at once, keys and batches unchanged.
    await handBack(db, queue.splice(0).flatMap(jobIds));
  });
  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}

/** Sends whatever is due until nothing is left (tests, scripts). */
export async function drainDeliveries(options: WorkerOptions & { idleMs?: number }): Promise<void> {
  const worker = startWorker({ ...options, pollMs: options.pollMs ?? 50 });
  const idle = options.idleMs ?? 300;
  let quietSince = Date.now();
  while (Date.now() - quietSince < idle) {
    await new Promise((r) => setTimeout(r, 50));
    const { n } = (
      await sql<{ n: number }>`select count(*)::int as n from deliveries where status in ('queued','sending')`.execute(options.db)
    ).rows[0];
    if (n > 0) quietSince = Date.now();
  }
  await worker.stop();
}

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
  requireRole(actor, "editor");
  const data = parseInput(retryInput, input);
  return db.transaction().execute(async (trx) => {
    let query = trx
      .updateTable("deliveries")
      .set({ status: "queued", attempts: 0, next_attempt_at: new Date(), lease_until: null, batch_key: null, updated_at: new Date() })
      .where("status", "=", "failed");
    if (data.updateId) query = query.where("update_id", "=", data.updateId);
    const result = await query.executeTakeFirst();
    const n = Number(result.numUpdatedRows);
    await recordAudit(trx, actor, { action: "deliveries.retry_failed", subjectType: "update", subjectId: data.updateId ?? null, after: { n } });
    return n;
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

export interface ResendEvent {
  type: string;
  data: { email_id?: string; to?: string[] | string; bounce?: { type?: string } };
}

/*
 * A Resend webhook event: bounces and complaints stop all mail to the
 * address and mark the delivery. Transient (soft) bounces change nothing.
 */
export async function applyResendEvent(db: Db, event: ResendEvent): Promise<"stopped" | "ignored"> {
  const reason = event.type === "email.bounced" ? "bounced" : event.type === "email.complained" ? "complained" : null;
  if (!reason || (reason === "bounced" && /transient/i.test(event.data.bounce?.type ?? ""))) return "ignored";
  const recipients = Array.isArray(event.data.to) ? event.data.to : event.data.to ? [event.data.to] : [];
  for (const address of recipients) await markUndeliverable(db, address, reason);
  if (event.data.email_id) {
    await db
      .updateTable("deliveries")
      .set({ status: "bounced", last_error: event.type, updated_at: new Date() })
      .where("resend_id", "=", event.data.email_id)
      .execute();
  }
  return "stopped";
}

/** Verifies a webhook's Svix-style signature (RESEND_WEBHOOK_SECRET) and applies it. */
export async function receiveResendWebhook(raw: string, headers: Headers, db?: Db): Promise<{ status: number; message: string }> {
  const secret = process.env.RESEND_WEBHOOK_SECRET;
  if (!secret) return { status: 503, message: "webhooks are not configured (RESEND_WEBHOOK_SECRET)" };
  let event: ResendEvent;
  try {
    // Only the verifier is used; it needs no API key, but the SDK's constructor wants one.
    event = new Resend(process.env.RESEND_API_KEY || "re_webhook_verification_only").webhooks.verify({
      payload: raw,
      headers: {
        id: headers.get("svix-id") ?? headers.get("webhook-id") ?? "",
        timestamp: headers.get("svix-timestamp") ?? headers.get("webhook-timestamp") ?? "",
        signature: headers.get("svix-signature") ?? headers.get("webhook-signature") ?? "",
      },
      webhookSecret: secret,
    }) as ResendEvent;
  } catch {
    return { status: 401, message: "invalid signature" };
  }
  const outcome = await applyResendEvent(db ?? (await processDb()), event);
  return { status: 200, message: outcome };
}

const globalWorker = globalThis as unknown as { candorWorker?: boolean };

/*
 * The worker inside the production server (instrumentation.ts). Started once per
 * process, never during `next build`, and not with CANDOR_WORKER=off (when
 * standalone workers do the sending). It waits for the database in the
 * background so the server is ready at once.
 */
export function startProcessWorker(): void {
  if (globalWorker.candorWorker || process.env.CANDOR_WORKER === "off") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  globalWorker.candorWorker = true;
  const attempt = () =>
    processDb().then(
      // The in-process worker shares the web server's CPU: poll less often when idle.
      (db) => void startWorker({ db, pollMs: Number(process.env.WORKER_POLL_MS ?? 1000) }),
      (error: unknown) => {
        console.error(`[worker] database not ready (${(error as Error).message}); retrying in 5 s`);
        setTimeout(attempt, 5_000).unref();
      },
    );
  void attempt();
}

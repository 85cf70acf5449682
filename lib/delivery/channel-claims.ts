import type { Locale } from "#lib/core/locales.ts";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { DeliveryKind, SubscriberStatus, WebhookFormat } from "#db/schema.ts";
import { channelMeta, type EndpointChannel } from "#lib/core/channels.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { renderQuarantineEmail } from "#emails/render.tsx";
import { ids, lease, ordered } from "./claims.ts";
import { deliveryConfig } from "./config.ts";
import type { ChannelOutcome } from "./channel-send.ts";
import { createMailer, senderAddress } from "./mailer.ts";
import { acquireSlot } from "./rate-limit.ts";

/*
 * The channel side of the outbox: the same deliveries table, leases and
 * backoff as email, claimed through its own partial index. A channel
 * delivery is claimable only when it is its subscriber's oldest queued one
 * of the incident and none of that incident is in flight to it, so a
 * receiver sees an incident's events in order.
 */
export interface ClaimedChannel {
  id: string;
  subscriberId: string;
  subscriberStatus: SubscriberStatus;
  channel: EndpointChannel;
  kind: DeliveryKind;
  updateId: string | null;
  changeId: string | null;
  tokenId: string | null;
  attempts: number;
  url: string;
  host: string;
  format: WebhookFormat | null;
  secret: string;
  locale: Locale;
}

async function details(db: Db, deliveryIds: string[]): Promise<ClaimedChannel[]> {
  if (deliveryIds.length === 0) return [];
  const rows = await db
    .selectFrom("deliveries as d")
    .innerJoin("subscribers as s", "s.id", "d.subscriber_id")
    .innerJoin("subscriber_endpoints as e", "e.subscriber_id", "d.subscriber_id")
    .select(["d.id", "d.subscriber_id", "s.status", "d.channel", "d.kind", "d.update_id", "d.change_id", "d.token_id", "d.attempts", "e.url", "e.host", "e.format", "e.secret", "s.locale"])
    .where("d.id", "in", deliveryIds)
    .orderBy("d.id")
    .execute();
  return rows.map((r) => ({
    id: String(r.id),
    subscriberId: r.subscriber_id,
    subscriberStatus: r.status,
    channel: r.channel as EndpointChannel,
    kind: r.kind,
    updateId: r.update_id,
    changeId: r.change_id === null ? null : String(r.change_id),
    tokenId: r.token_id,
    attempts: r.attempts,
    url: r.url,
    host: r.host,
    format: r.format,
    secret: r.secret,
    locale: r.locale,
  }));
}

/** Due retries and crashed workers' leftovers first, then new deliveries, oldest first; up to `limit`. */
export async function claimChannelDeliveries(db: Db, limit: number): Promise<ClaimedChannel[]> {
  const due = await sql<{ id: string }>`
    with picked as (
      select id from deliveries
      where status = 'sending' and lease_until < now() and channel <> 'email'
      order by lease_until limit ${limit}
      for update skip locked)
    update deliveries d set lease_until = ${lease()}, updated_at = now()
    from picked where d.id = picked.id and d.status = 'sending' and d.lease_until < now()
    returning d.id`.execute(db);
  const room = limit - due.rows.length;
  if (room <= 0) return details(db, ids(due.rows));
  const fresh = await ordered(db, (trx) => sql<{ id: string }>`
    with picked as (
      select d.id from deliveries d
      where d.status = 'queued' and d.channel <> 'email' and d.next_attempt_at <= now()
        and not exists (
          select 1 from deliveries o
          where o.status = 'queued' and o.channel <> 'email' and o.subscriber_id = d.subscriber_id
            and o.incident_id = d.incident_id and o.id < d.id)
        and not exists (
          select 1 from deliveries o
          where o.incident_id = d.incident_id and o.subscriber_id = d.subscriber_id and o.status = 'sending')
      order by d.next_attempt_at, d.id
      limit ${room}
      for update skip locked)
    update deliveries d set status = 'sending', lease_until = ${lease()}, updated_at = now()
    from picked where d.id = picked.id and d.status = 'queued'
    returning d.id`.execute(trx));
  return details(db, [...ids(due.rows), ...ids(fresh.rows)]);
}

const quarantineSettings = z.object({
  /** Consecutive failed attempts (429s not counted) after which an endpoint is quarantined. */
  CHANNEL_QUARANTINE_AFTER: z.coerce.number().int().min(1).max(1000).default(10),
});
const quarantineAfter = () => quarantineSettings.parse({ CHANNEL_QUARANTINE_AFTER: process.env.CHANNEL_QUARANTINE_AFTER || undefined }).CHANNEL_QUARANTINE_AFTER;

/*
 * How a claimed channel delivery ends: sent (the endpoint's failure count
 * resets); retried after the receiver's Retry-After or a jittered
 * exponential backoff, until the attempts run out; or failed. Failures
 * count toward quarantine; a gone endpoint is quarantined at once.
 */
export async function resolveChannel(db: Db, d: ClaimedChannel, outcome: ChannelOutcome, log: (m: string) => void): Promise<void> {
  if (outcome.ok) return markSent(db, [d.id]);
  const { maxAttempts, backoffBaseMs, backoffMaxMs } = deliveryConfig();
  const retry = outcome.kind === "retry";
  const waitMs = retry ? outcome.retryAfterMs : null;
  await sql`update deliveries set attempts = attempts + 1, last_error = ${outcome.message}, updated_at = now(),
      status = case when not ${retry} or attempts + 1 >= ${maxAttempts} then 'failed' else 'sending' end,
      lease_until = case when not ${retry} or attempts + 1 >= ${maxAttempts} then null
        when ${waitMs}::float8 is not null then now() + ${waitMs}::float8 * interval '1 millisecond'
        else now() + least(${backoffMaxMs}::float8, ${backoffBaseMs}::float8 * power(2, attempts)) * (0.5 + 0.5 * random()) * interval '1 millisecond' end
    where id = ${d.id} and status = 'sending'`.execute(db);
  // Being asked to slow down is not the endpoint failing.
  const counts = !(retry && waitMs !== null);
  const { rows } = await sql<{ failures: number }>`
    update subscriber_endpoints set failures = failures + ${counts ? 1 : 0}, last_error = ${outcome.message},
      last_response = ${outcome.excerpt}, last_attempt_at = now()
    where subscriber_id = ${d.subscriberId} returning failures`.execute(db);
  const failures = rows[0]?.failures ?? 0;
  if (outcome.kind === "gone" || failures >= quarantineAfter()) await quarantine(db, d, outcome.message, log);
}

/** Sent: the deliveries are done and their endpoints' failure counts start over. */
export async function markSent(db: Db, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await sql`
    with sent as (
      update deliveries set status = 'sent', sent_at = now(), lease_until = null, attempts = attempts + 1, last_error = null, updated_at = now()
      where id = any(${deliveryIds}::bigint[]) and status = 'sending' returning subscriber_id)
    update subscriber_endpoints e set failures = 0, last_attempt_at = now()
    from sent where e.subscriber_id = sent.subscriber_id and e.failures > 0`.execute(db);
}

/* Stops sends to the subscriber, fails what was still queued for it, and tells its contact (once, by whoever quarantined it). */
async function quarantine(db: Db, d: ClaimedChannel, reason: string, log: (m: string) => void): Promise<void> {
  const quarantined = await sql`
    update subscribers set status = 'quarantined', updated_at = now() where id = ${d.subscriberId} and status = 'active'`.execute(db);
  if (Number(quarantined.numAffectedRows ?? 0) === 0) return;
  await sql`update subscriber_endpoints set quarantined_at = now() where subscriber_id = ${d.subscriberId}`.execute(db);
  await sql`update deliveries set status = 'failed', lease_until = null, last_error = 'subscriber quarantined', updated_at = now()
    where subscriber_id = ${d.subscriberId} and status in ('queued','sending')`.execute(db);
  log(`${d.channel} subscriber ${d.subscriberId} on ${d.host} quarantined: ${reason}`);
  const { rows } = await sql<{ contact_email: string; quarantined_at: Date }>`
    update subscriber_endpoints set quarantine_notified_at = now()
    where subscriber_id = ${d.subscriberId} and quarantine_notified_at is null and contact_email is not null
    returning contact_email, quarantined_at`.execute(db);
  if (rows.length === 0) return;
  try {
    const page = await getPage(db);
    const email = await renderQuarantineEmail(
      { name: page.name, url: pageUrl(page.url), timeZone: page.time_zone },
      { channel: channelMeta[d.channel].label, host: d.host, lastError: reason, adminUrl: `${pageUrl(page.url)}/admin/channels` },
    );
    await acquireSlot(db);
    const outcome = await createMailer(db).send(
      { ...email, from: senderAddress(page), to: rows[0].contact_email },
      `q:${d.subscriberId}:${new Date(rows[0].quarantined_at).getTime()}`,
    );
    if (!outcome.ok) log(`quarantine notice for ${d.subscriberId} failed: ${outcome.message}`);
  } catch (error) {
    // Told at most once: a notice that could not go out is not retried (the admin shows the quarantine).
    log(`quarantine notice for ${d.subscriberId} failed: ${(error as Error).message}`);
  }
}

/** A claimed delivery whose subscriber stopped (quarantined, removed from the channel) since it was queued. */
export async function dropChannel(db: Db, d: ClaimedChannel): Promise<void> {
  await sql`update deliveries set status = 'failed', lease_until = null, last_error = ${`subscriber ${d.subscriberStatus}`}, updated_at = now()
    where id = ${d.id} and status = 'sending'`.execute(db);
}

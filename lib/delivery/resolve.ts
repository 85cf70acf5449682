import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { Claimed } from "./claims.ts";
import { deliveryConfig } from "./config.ts";
import type { SendOutcome } from "./mailer.ts";
import { holdOff } from "./rate-limit.ts";

/*
 * How a claimed delivery ends: sent, retried later with the same key (429,
 * 5xx, timeout), failed for good, or dropped because its subscriber stopped mail.
 */
export async function resolve(db: Db, deliveryIds: string[], outcome: SendOutcome): Promise<void> {
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
  /*
   * Exponential backoff with "equal jitter": between half and all of base × 2^attempts, capped.
   * One draw for the whole call: a batch's rows stay due together, so the retry is the same
   * request under the same key (drawn per row, the batch would leave in parts, and the key,
   * seen with another body, would answer 409 and the rest would be taken for sent).
   */
  const jitter = 0.5 + 0.5 * Math.random();
  await sql`update deliveries set attempts = attempts + 1, last_error = ${outcome.message}, updated_at = now(),
      status = case when ${outcome.kind}::text = 'permanent' or attempts + 1 >= ${maxAttempts} then 'failed' else 'sending' end,
      lease_until = case when ${outcome.kind}::text = 'permanent' or attempts + 1 >= ${maxAttempts} then null
        else now() + least(${backoffMaxMs}::float8, ${backoffBaseMs}::float8 * power(2, attempts)) * ${jitter}::float8 * interval '1 millisecond' end
    where id = any(${deliveryIds}::bigint[]) and status = 'sending'`.execute(db);
}

/*
 * Deliveries whose subscriber stopped mail since they were queued are dropped,
 * not sent (status as read when claimed: stopping mail also drops queued rows).
 */
export async function dropInactive(db: Db, deliveries: Claimed[]): Promise<Claimed[]> {
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

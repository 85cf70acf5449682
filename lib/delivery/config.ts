/*
 * Deliveries: the durable outbox, one row per subscriber per email
 * (lib/delivery: enqueue → claims → compose → worker → resolve).
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

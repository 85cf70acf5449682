import { z } from "zod";
import type { Db } from "#db/client.ts";
import { handBack } from "./claims.ts";
import { claimChannelDeliveries, dropChannel, markSent, resolveChannel, type ClaimedChannel } from "./channel-claims.ts";
import { ChannelEvents } from "./channel-events.ts";
import { sendToEndpoint } from "./channel-send.ts";
import { deliveryConfig } from "./config.ts";
import { idempotencyKey } from "./enqueue.ts";
import type { EndpointChannel } from "#lib/core/channels.ts";

/*
 * Sending to channel subscribers, inside every worker beside the email
 * lanes. Requests in flight are bounded per kind (how much of this
 * worker a kind may hold) and per host (how hard one receiver is hit:
 * every Slack subscriber shares hooks.slack.com). Claimed deliveries wait
 * in a local queue for a free slot; one that waited a quarter of its lease
 * is handed back, so no lease runs out while a request could still be in
 * flight (the request deadline is well under the rest of it).
 */
const limitsSchema = z.object({
  CHANNEL_CONCURRENCY_WEBHOOK: z.coerce.number().int().min(1).max(1000).default(64),
  CHANNEL_CONCURRENCY_SLACK: z.coerce.number().int().min(1).max(1000).default(16),
  CHANNEL_CONCURRENCY_DISCORD: z.coerce.number().int().min(1).max(1000).default(8),
  // Teams throttles a workflow at more than 4 requests per second.
  CHANNEL_CONCURRENCY_TEAMS: z.coerce.number().int().min(1).max(1000).default(4),
  CHANNEL_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
});

export function channelLimits() {
  const env = Object.fromEntries(Object.keys(limitsSchema.shape).map((k) => [k, process.env[k] || undefined]));
  const parsed = limitsSchema.parse(env);
  return {
    perKind: {
      webhook: parsed.CHANNEL_CONCURRENCY_WEBHOOK,
      slack: parsed.CHANNEL_CONCURRENCY_SLACK,
      discord: parsed.CHANNEL_CONCURRENCY_DISCORD,
      teams: parsed.CHANNEL_CONCURRENCY_TEAMS,
    } satisfies Record<EndpointChannel, number>,
    perHost: parsed.CHANNEL_HOST_CONCURRENCY,
  };
}

export interface ChannelLanes {
  /** Resolves when the lanes have stopped (after stop()). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export function startChannelLanes(options: { db: Db; pollMs: number; log: (m: string) => void }): ChannelLanes {
  const { db, pollMs, log } = options;
  const limits = channelLimits();
  const total = Object.values(limits.perKind).reduce((a, b) => a + b, 0);
  const events = new ChannelEvents(db);
  const queue: { d: ClaimedChannel; at: number }[] = [];
  const byKind = new Map<string, number>();
  const byHost = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | null = null;
  const nudge = () => {
    wake?.();
    wake = null;
  };
  const bump = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);

  async function run(d: ClaimedChannel) {
    // A verification goes to a pending subscriber only; everything else to an active one.
    if (d.subscriberStatus !== (d.kind === "confirmation" ? "pending" : "active")) return dropChannel(db, d);
    const event = d.kind === "confirmation" ? await events.verification(d.tokenId!) : await events.load(d);
    const outcome = await sendToEndpoint(d, event, {
      eventId: idempotencyKey({ kind: d.kind, updateId: d.updateId, subscriberId: d.subscriberId, tokenId: d.tokenId, changeId: d.changeId }),
      manageUrl: `${event.pageUrl}/admin/channels`,
    });
    if (outcome.ok) {
      sent.push(d.id);
      if (sent.length >= 200) void flushSent();
    } else await resolveChannel(db, d, outcome, log);
  }

  /*
   * Successes are marked sent in one statement every 100 ms, as email's are.
   * A crash before the flush means the receiver gets the event again, with
   * the same event id (channels.md: receivers drop a repeated id).
   */
  const sent: string[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flushSent = () => {
    if (sent.length === 0) return flushing;
    const batch = sent.splice(0);
    flushing = flushing.then(() => markSent(db, batch)).catch((error: unknown) => log(`marking sent failed: ${(error as Error).message}`));
    return flushing;
  };
  const flushTimer = setInterval(() => void flushSent(), 100);

  function start(d: ClaimedChannel) {
    bump(byKind, d.channel, 1);
    bump(byHost, d.host, 1);
    const task = run(d)
      .catch(async (error: unknown) => {
        // Not sent as far as we know (the event could not be loaded, the database failed): due again when the lease runs out.
        log(`channel send failed: ${(error as Error).message}`);
      })
      .finally(() => {
        bump(byKind, d.channel, -1);
        bump(byHost, d.host, -1);
        if (byHost.get(d.host) === 0) byHost.delete(d.host);
        inFlight.delete(task);
        // The freed slot is taken at once, without waiting for the claim loop.
        if (!stopped) startReady();
        nudge();
      });
    inFlight.add(task);
  }

  const free = (d: ClaimedChannel) => (byKind.get(d.channel) ?? 0) < limits.perKind[d.channel] && (byHost.get(d.host) ?? 0) < limits.perHost;

  /** Starts every queued delivery that has a free slot and has not waited too long. */
  function startReady() {
    const tooOld = Date.now() - deliveryConfig().leaseMs / 4;
    for (let i = 0; i < queue.length; ) {
      const { d, at } = queue[i];
      if (at >= tooOld && free(d)) {
        queue.splice(i, 1);
        start(d);
      } else i++;
    }
  }

  /** Starts what can start; hands back what waited a quarter of its lease. */
  async function dispatch() {
    startReady();
    const tooOld = Date.now() - deliveryConfig().leaseMs / 4;
    const stale = queue.filter((q) => q.at < tooOld);
    if (stale.length === 0) return;
    queue.splice(0, queue.length, ...queue.filter((q) => q.at >= tooOld));
    await handBack(db, stale.map((q) => q.d.id));
  }

  async function loop() {
    // When the last claim found nothing, the next waits for the poll interval (not for every finished request).
    let drainedAt = 0;
    while (!stopped) {
      let claimed = 0;
      // Refilled while a full round of lanes is still queued: one claim per many sends, and the lanes never run dry.
      if (queue.length <= total && Date.now() - drainedAt >= pollMs) {
        try {
          const want = total * 2 - queue.length;
          const got = await claimChannelDeliveries(db, want);
          claimed = got.length;
          drainedAt = got.length < want ? Date.now() : 0;
          const now = Date.now();
          queue.push(...got.map((d) => ({ d, at: now })));
        } catch (error) {
          log(`channel claim failed: ${(error as Error).message}; retrying in 5 s`);
          await new Promise((r) => setTimeout(r, 5_000));
          continue;
        }
      }
      await dispatch();
      if (stopped) break;
      // Nothing new: wait for a finished request (a free slot) or the next poll.
      if (claimed === 0 || queue.length > total) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    await Promise.all(inFlight);
    clearInterval(flushTimer);
    await flushSent();
    await handBack(db, queue.splice(0).map((q) => q.d.id));
  }

  const done = loop();
  return {
    done,
    async stop() {
      stopped = true;
      nudge();
      await done;
    },
  };
}

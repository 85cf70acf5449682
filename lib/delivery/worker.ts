import { db as processDb, type Db } from "#db/client.ts";
import type { SendingMode } from "#db/schema.ts";
import { claimJobs, handBack, HIGH, ids, jobIds, priorityOf, type Job } from "./claims.ts";
import { EmailComposer } from "./compose.ts";
import { deliveryConfig } from "./config.ts";
import { createMailer, sendRate, type Mailer, type OutgoingEmail } from "./mailer.ts";
import { acquireSlot, takeFreeSlot } from "./rate-limit.ts";
import { dropInactive, resolve } from "./resolve.ts";
import { duringNextBuild } from "#lib/runtime/next-internals.ts";
import { startChannelLanes } from "./channel-worker.ts";

export interface WorkerOptions {
  db: Db;
  mailer?: Mailer;
  /** Requests in flight at once in this worker. */
  concurrency?: number;
  /** How long to wait when there is nothing to send. */
  pollMs?: number;
  rate?: number;
  log?: (message: string) => void;
  /** Also send to channel subscribers (webhook, Slack, Discord, Teams); on unless false. */
  channels?: boolean;
}

export interface Worker {
  stop(): Promise<void>;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
}

/*
 * A sending worker: `concurrency` lanes take jobs from a local queue that is
 * refilled by claiming from the database, and the channel lanes
 * (channel-worker.ts) send to webhook, Slack, Discord and Teams subscribers.
 * Any number may run, in any number of processes.
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

  const channelLanes = options.channels === false ? null : startChannelLanes({ db, pollMs, log });
  const done = Promise.all([...Array.from({ length: lanes }, lane), channelLanes?.done]).then(async () => {
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
      await channelLanes?.stop();
      await done;
    },
  };
}

// Read and written only here; on globalThis because Next may load this module more than once in a process.
const globalWorker = globalThis as unknown as { candorWorker?: boolean };

/*
 * The worker inside the production server (instrumentation.ts). Started once per
 * process, never during `next build`, and not with CANDOR_WORKER=off (when
 * standalone workers do the sending). It waits for the database in the
 * background so the server is ready at once.
 */
export function startProcessWorker(): void {
  if (globalWorker.candorWorker || process.env.CANDOR_WORKER === "off") return;
  if (duringNextBuild()) return;
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

/*
 * Crash safety with every channel at once: email, webhook and Slack
 * subscribers of one incident, standalone worker processes (2–4 of them)
 * on real PostgreSQL, killed with SIGKILL mid-fan-out and restarted. Email
 * stays exactly once (the provider's idempotency key); a channel receiver
 * gets every event, and each event once by its id — a request repeated
 * after a crash carries the same candor-event-id, which is what receivers
 * deduplicate on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { freshDatabaseUrl } from "../support/databases.ts";
import { Receiver } from "../support/receiver.ts";
import { ResendTestServer } from "../support/resend-server.ts";
import { seedActiveSubscribers, seedChannelSubscribers } from "../support/subscribers.ts";

const API_KEY = "re_test_channels_crash";
const RATE = 400;

describe.runIf(process.env.TEST_DATABASE_URL)("channel and email workers killed mid-fan-out on pg", () => {
  let resend: ResendTestServer;
  let receiver: Receiver;
  let database: { url: string; drop(): Promise<void> };
  let h: DbHandle;
  let api: string;
  const children = new Set<ChildProcess>();

  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: "4",
        RESEND_API_KEY: API_KEY,
        RESEND_BASE_URL: resend.url,
        RESEND_RATE_LIMIT: String(RATE),
        DELIVERY_LEASE_MS: "1500",
        WORKER_POLL_MS: "50",
        CHANNEL_ALLOW_LOOPBACK: "true",
        CHANNEL_TIMEOUT_MS: "1000",
        CHANNEL_CONCURRENCY_WEBHOOK: "16",
        CHANNEL_HOST_CONCURRENCY: "16",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.add(child);
    child.on("exit", () => children.delete(child));
    return child;
  }
  const ready = (child: ChildProcess) =>
    new Promise<void>((resolve) => child.stderr!.on("data", (d: Buffer) => d.toString().includes("sending") && resolve()));
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });

  async function waitUntilDone(timeoutMs: number) {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const pending = await h.db
        .selectFrom("deliveries")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("status", "in", ["queued", "sending"])
        .executeTakeFirstOrThrow();
      if (Number(pending.n) === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("deliveries did not finish in time");
  }

  beforeAll(async () => {
    resend = new ResendTestServer({ apiKey: API_KEY, rate: RATE });
    await resend.start();
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(async () => {
    await resend.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    resend.clear();
    receiver.clear();
    // Each request takes a while, so kills land with requests in flight.
    receiver.fallback = (_r, res) => void setTimeout(() => res.writeHead(200).end("ok"), 15);
    database = await freshDatabaseUrl();
    h = await openDatabase({ url: database.url });
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
  });
  afterEach(async () => {
    await Promise.all([...children].map(kill));
    await h.close();
    await database.drop();
  });

  it.each([2, 4])("%i workers, killed and restarted: every email once, every channel event once by id", async (n) => {
    const emails = Array.from({ length: 1500 }, (_, i) => `mix${n}-${i}@example.com`);
    await seedActiveSubscribers(h.db, emails.map((email) => ({ email })));
    const hooks = await seedChannelSubscribers(
      h.db,
      Array.from({ length: 1500 }, (_, i) => ({ url: `${receiver.url}/hook/${i}`, channel: "webhook" as const })),
    );
    const slacks = await seedChannelSubscribers(
      h.db,
      Array.from({ length: 500 }, (_, i) => ({ url: `${receiver.url}/slack/${i}`, channel: "slack" as const })),
    );
    await declareIncident(h.db, systemActor, {
      name: "Storage outage",
      severity: "SEV-1",
      body: "Objects cannot be written.",
      components: [{ id: api, status: "major_outage" }],
    });
    const atKill: number[] = [];
    for (let round = 0; round < 3; round++) {
      const workers = Array.from({ length: n }, spawnWorker);
      await Promise.all(workers.map(ready));
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 800));
      await kill(workers[Math.floor(Math.random() * n)]);
      if (round < 2) await Promise.all(workers.map(kill));
      atKill.push(receiver.requests.length);
    }
    await waitUntilDone(120_000);

    // Kills landed mid-fan-out.
    expect(atKill.some((k) => k > 0 && k < hooks.length + slacks.length)).toBe(true);
    const byPath = new Map<string, Set<string>>();
    let repeats = 0;
    for (const r of receiver.requests) {
      const ids = byPath.get(r.path) ?? new Set<string>();
      const id = String(r.headers["candor-event-id"]);
      if (ids.has(id)) repeats++;
      ids.add(id);
      byPath.set(r.path, ids);
    }
    const expectedPaths = [...hooks.map((_, i) => `/hook/${i}`), ...slacks.map((_, i) => `/slack/${i}`)];
    const missing = expectedPaths.filter((p) => !byPath.has(p));
    const twoEvents = [...byPath.values()].filter((ids) => ids.size !== 1);
    expect({ missing: missing.length, moreThanOneEvent: twoEvents.length, unexpected: byPath.size - expectedPaths.length }).toEqual({
      missing: 0,
      moreThanOneEvent: 0,
      unexpected: 0,
    });
    // Repeats are bounded by what a dead worker had in flight (16 to this one host) or sent but not yet marked (at most 200, flushed every 100 ms).
    const kills = 2 * n + 1;
    expect(repeats).toBeLessThanOrEqual(kills * (16 + 200));
    console.log(`[measure] ${n} workers: channel requests at kills ${atKill.join(", ")}; ${repeats} repeated after a crash (same event id)`);

    const counts = new Map<string, number>();
    for (const email of resend.emails) for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    expect(emails.filter((e) => counts.get(e) !== 1)).toEqual([]);
    expect(resend.emails.length).toBe(emails.length);
    const notSent = await h.db.selectFrom("deliveries").select("status").where("status", "<>", "sent").execute();
    expect(notSent).toEqual([]);
  }, 240_000);
});

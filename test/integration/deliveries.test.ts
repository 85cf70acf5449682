/*
 * Exactness of sending, against real databases, the real Resend SDK and the
 * Resend-compatible test server: every matching subscriber gets exactly one
 * email per update, through faults, rate limits, crashes and several workers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { claimJobs, jobIds } from "#lib/delivery/claims.ts";
import { updateMailSettings } from "#lib/delivery/mail-settings.ts";
import { resolve } from "#lib/delivery/resolve.ts";
import { deliveryConfig } from "#lib/delivery/config.ts";
import { deliveryCounts, retryFailed } from "#lib/delivery/outbox.ts";
import { drainDeliveries } from "../support/deliveries.ts";
import { estimateDelivery } from "#lib/delivery/enqueue.ts";
import { startWorker } from "#lib/delivery/worker.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { resendMailer } from "#lib/delivery/mailer.ts";
import { seedActiveSubscribers } from "../support/subscribers.ts";
import { subscribe, subscriptionFor } from "#lib/domain/subscribers/subscriptions.ts";
import { engines, freshDatabase, freshDatabaseUrl } from "../support/databases.ts";
import { ResendTestServer } from "../support/resend-server.ts";

const API_KEY = "re_test_deliveries";
const RATE = 400;

interface Population {
  expected: string[];
  excluded: string[];
}

/** Subscribers of every kind; those who follow `api` (or everything) are expected to get mail. */
async function populate(db: DbHandle["db"], n: number, api: string, web: string, tag: string): Promise<Population> {
  const list: { email: string; status?: "active" | "pending" | "unsubscribed" | "bounced" | "complained"; components?: string[] }[] = [];
  const expected: string[] = [];
  const excluded: string[] = [];
  for (let i = 0; i < n; i++) {
    const email = `${tag}-${i}@example.com`;
    const slot = i % 20;
    if (slot < 12) {
      list.push({ email });
      expected.push(email);
    } else if (slot < 15) {
      list.push({ email, components: [api] });
      expected.push(email);
    } else if (slot < 17) {
      list.push({ email, components: [web] });
      excluded.push(email);
    } else {
      list.push({ email, status: (["unsubscribed", "bounced", "pending"] as const)[slot - 17] });
      excluded.push(email);
    }
  }
  await seedActiveSubscribers(db, list);
  return { expected, excluded };
}

function expectExactlyOnce(server: ResendTestServer, population: Population) {
  const counts = new Map<string, number>();
  for (const email of server.emails) {
    for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  const missing = population.expected.filter((e) => (counts.get(e) ?? 0) === 0);
  const duplicated = population.expected.filter((e) => (counts.get(e) ?? 0) > 1);
  const wrong = population.excluded.filter((e) => counts.has(e));
  expect({ missing: missing.length, duplicated: duplicated.length, wrong: wrong.length }).toEqual({ missing: 0, duplicated: 0, wrong: 0 });
  expect(server.emails.length).toBe(population.expected.length);
}

/** Pending sign-ups, each with its confirmation queued, through the public subscribe path. */
async function signUps(db: DbHandle["db"], n: number, tag: string): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => subscribe(db, { email: `${tag}-${i + j}@example.com` })));
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

const saved = { ...process.env };
beforeEach(() => {
  process.env.RESEND_RATE_LIMIT = String(RATE);
  process.env.DELIVERY_BACKOFF_MS = "20";
  process.env.DELIVERY_BACKOFF_MAX_MS = "400";
  process.env.DELIVERY_LEASE_MS = "5000";
  process.env.PUBLIC_URL = "https://status.example.com";
});
afterEach(() => {
  process.env = { ...saved };
});

describe.each(engines)("deliveries on %s", (engine) => {
  let h: DbHandle;
  let server: ResendTestServer;
  let api: string;
  let web: string;

  beforeAll(async () => {
    server = new ResendTestServer({ apiKey: API_KEY, rate: RATE });
    process.env.RESEND_BASE_URL = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    server.clear();
    server.faults = {};
    server.setRate(RATE);
    process.env.RESEND_BASE_URL = server.url;
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
  });
  afterEach(() => h.close());

  it("sends one email to each of 10,000 subscribers who follow the incident, none to the others", async () => {
    const population = await populate(h.db, 10_000, api, web, "fan");
    expect(await estimateDelivery(h.db, [api])).toEqual({ recipients: 7_500, mode: "attach", seconds: Math.ceil(7_500 / RATE) });
    const { update } = await declareIncident(h.db, systemActor, {
      name: "API latency",
      severity: "SEV-2",
      body: "We are investigating elevated latency on the API.",
      components: [{ id: api, status: "degraded_performance" }],
    });
    expect((await deliveryCounts(h.db, update.id)).queued).toBe(7_500);
    const started = Date.now();
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY), concurrency: 8 });
    console.log(`[measure] ${engine}: 7,500 emails in ${((Date.now() - started) / 1000).toFixed(1)} s at ${RATE} req/s (bound ${7_500 / RATE} s)`);
    expectExactlyOnce(server, population);
    const counts = await deliveryCounts(h.db, update.id);
    expect(counts.sent).toBe(7_500);
    const sample = server.inbox(population.expected[0])[0];
    expect(sample.subject).toMatch(/Investigating: API latency$/);
    expect(sample.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(sample.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/^INC-\d{4}-\d{4}-timeline\.txt$/)]);
  }, 300_000);

  it("delivers everything through 30% 5xx, dropped connections and a 429 storm, within bounded attempts", async () => {
    const population = await populate(h.db, 1_000, api, web, "faults");
    server.faults = { errorRate: 0.3, dropRate: 0.05, slowRate: 0.02, slowMs: 300 };
    const { update } = await declareIncident(h.db, systemActor, {
      name: "Database failover",
      severity: "SEV-1",
      body: "Failing over the primary database.",
      components: [{ id: api, status: "major_outage" }],
    });
    const worker = startWorker({ db: h.db, mailer: resendMailer(API_KEY), pollMs: 50 });
    await new Promise((r) => setTimeout(r, 300));
    server.storm(1_500);
    await worker.stop();
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY), idleMs: 1_000 });
    expectExactlyOnce(server, population);
    const unsent = await h.db
      .selectFrom("deliveries")
      .select(["status", "attempts", "last_error"])
      .where("update_id", "=", update.id)
      .where("status", "!=", "sent")
      .execute();
    expect(unsent).toEqual([]);
    expect((await deliveryCounts(h.db, update.id)).sent).toBe(population.expected.length);
    expect(server.requests.some((r) => r.status === 429)).toBe(true);
    expect(server.requests.some((r) => r.status === 500)).toBe(true);
    expect(server.requests.some((r) => r.status === "dropped")).toBe(true);
    const { n } = await h.db
      .selectFrom("deliveries")
      .select((eb) => eb.fn.max("attempts").as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBeLessThanOrEqual(deliveryConfig().maxAttempts);
  }, 120_000);

  it("marks permanent failures failed, and retries them on request", async () => {
    const population = await populate(h.db, 40, api, web, "perm");
    const { update } = await declareIncident(h.db, systemActor, {
      name: "Login errors",
      severity: "SEV-3",
      body: "Some logins fail.",
      components: [{ id: api, status: "partial_outage" }],
    });
    await drainDeliveries({ db: h.db, mailer: resendMailer("re_wrong_key") });
    const failed = await deliveryCounts(h.db, update.id);
    expect(failed.failed).toBe(population.expected.length);
    expect(server.emails).toHaveLength(0);
    expect(await retryFailed(h.db, systemActor, { updateId: update.id })).toBe(population.expected.length);
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });
    expectExactlyOnce(server, population);
  });

  it("a published postmortem with notify sends one notice to each follower; without notify none", async () => {
    const population = await populate(h.db, 60, api, web, "pm");
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Search outage",
      severity: "SEV-2",
      body: "Search is down.",
      components: [{ id: api, status: "major_outage" }],
      notify: false,
    });
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Fixed.", notify: false });
    await publishPostmortem(h.db, systemActor, { incidentId: incident.id, body: "## Cause\n\nA bad index.", notify: false });
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });
    expect(server.emails).toHaveLength(0);
    await publishPostmortem(h.db, systemActor, { incidentId: incident.id, body: "## Cause\n\nA bad index.", notify: true });
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });
    expectExactlyOnce(server, population);
    const notice = server.inbox(population.expected[0])[0];
    expect(notice.subject).toBe("[Candor] Postmortem: Search outage");
    expect(notice.html).toContain("A bad index.");
    expect(notice.idempotencyKey).toMatch(/^p:/);
  });

  it("a batch whose request failed is retried whole, under its key, and every email arrives", async () => {
    await updateMailSettings(h.db, systemActor, { mode: "batch", targetSeconds: 120 });
    const population = await populate(h.db, 40, api, web, "retry");
    await declareIncident(h.db, systemActor, { name: "Slow API", severity: "SEV-3", body: "Slow.", components: [{ id: api, status: "degraded_performance" }] });
    const [job] = await claimJobs(h.db, 1);
    expect(job.type).toBe("batch");
    const batch = jobIds(job);
    await resolve(h.db, batch, { ok: false, kind: "transient", message: "network: socket hang up" });
    // The whole batch is due again at one moment: the retry is the same request.
    const leases = await h.db.selectFrom("deliveries").select("lease_until").where("id", "in", batch).execute();
    expect(new Set(leases.map((l) => l.lease_until!.getTime())).size).toBe(1);
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });
    expect(server.requests.filter((r) => r.status === 409)).toEqual([]);
    expectExactlyOnce(server, population);
  });

  it("claims incident and postmortem mail before confirmations queued earlier", async () => {
    await signUps(h.db, 30, "early");
    await seedActiveSubscribers(h.db, [{ email: "follower@example.com" }]);
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Webhooks delayed",
      severity: "SEV-3",
      body: "Webhooks are delayed.",
      components: [{ id: api, status: "degraded_performance" }],
    });
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Caught up.", notify: false });
    await publishPostmortem(h.db, systemActor, { incidentId: incident.id, body: "A slow consumer.", notify: true });
    const jobs = await claimJobs(h.db, 2);
    const kinds = jobs.flatMap((j) => (j.type === "single" ? [j.delivery.kind] : j.deliveries.map((d) => d.kind)));
    expect(kinds.sort()).toEqual(["incident", "postmortem"]);
    // With nothing of higher priority due, confirmations are claimed (oldest first).
    const next = await claimJobs(h.db, 5);
    expect(next.map((j) => (j.type === "single" ? j.delivery.kind : "batch"))).toEqual(Array(5).fill("confirmation"));
  });

  it("an update's email leaves within seconds while 1,000 confirmations wait at 2/s; they still go out at the full rate", async () => {
    process.env.RESEND_RATE_LIMIT = "2";
    server.setRate(2);
    const started = Date.now();
    await signUps(h.db, 1_000, "junk");
    console.log(`[measure] ${engine}: 1,000 sign-ups queued in ${Date.now() - started} ms`);
    await seedActiveSubscribers(h.db, [{ email: "follower@example.com" }]);
    const confirmations = () => server.emails.filter((e) => e.idempotencyKey?.startsWith("c:")).length;
    const worker = startWorker({ db: h.db, mailer: resendMailer(API_KEY), pollMs: 50 });
    let latency: number | null = null;
    let afterwards = 0;
    const WINDOW_MS = 4_000;
    try {
      // The worker is busy with confirmations (its lanes and local queue full) when the update is posted.
      expect(await until(() => confirmations() >= 4, 10_000)).toBe(true);
      const posted = Date.now();
      await declareIncident(h.db, systemActor, {
        name: "API errors",
        severity: "SEV-1",
        body: "Investigating API errors.",
        components: [{ id: api, status: "major_outage" }],
      });
      if (await until(() => server.inbox("follower@example.com").length > 0, 15_000)) {
        latency = server.inbox("follower@example.com")[0].at - posted;
      }
      console.log(`[measure] ${engine}: first update email ${latency === null ? "not sent within 15 s" : `${latency} ms after posting`}, ${confirmations()} confirmations sent`);
      const before = confirmations();
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      afterwards = confirmations() - before;
      console.log(`[measure] ${engine}: ${afterwards} confirmations in the ${WINDOW_MS / 1000} s after it`);
    } finally {
      await worker.stop();
    }
    expect(latency).not.toBeNull();
    expect(latency!).toBeLessThan(3_000);
    // The full rate (2/s), less at most one to where the window falls.
    expect(afterwards).toBeGreaterThanOrEqual((2 * WINDOW_MS) / 1000 - 1);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(0);
    const keys = server.emails.map((e) => e.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
  }, 90_000);

  it("supersedes older pending deliveries: nobody gets a stale email after a newer one", async () => {
    const population = await populate(h.db, 400, api, web, "sup");
    server.setRate(100);
    process.env.RESEND_RATE_LIMIT = "100";
    const { incident, update: first } = await declareIncident(h.db, systemActor, {
      name: "Checkout errors",
      severity: "SEV-2",
      body: "Investigating checkout errors.",
      components: [{ id: api, status: "partial_outage" }],
    });
    const worker = startWorker({ db: h.db, mailer: resendMailer(API_KEY), pollMs: 20 });
    await new Promise((r) => setTimeout(r, 400));
    const second = (await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "identified", body: "Found a bad deploy." })).update;
    await new Promise((r) => setTimeout(r, 300));
    const third = (await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "monitoring", body: "Rolled back." })).update;
    await worker.stop();
    await drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });

    const order = [first.id, second.id, third.id];
    const superseded = (await deliveryCounts(h.db, first.id)).superseded + (await deliveryCounts(h.db, second.id)).superseded;
    expect(superseded).toBeGreaterThan(0);
    for (const address of population.expected) {
      const received = server.inbox(address).map((e) => order.indexOf(e.idempotencyKey!.split(":")[1]));
      // Strictly increasing: no duplicates, no older update after a newer one; and the newest always arrives.
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(new Set(received).size).toBe(received.length);
      expect(received.at(-1)).toBe(2);
    }
    for (const address of population.excluded) expect(server.inbox(address)).toHaveLength(0);
  }, 60_000);
});

/*
 * Crash safety needs real processes: standalone workers (scripts/worker.ts)
 * on real PostgreSQL, killed with SIGKILL at random moments and restarted.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("worker processes on pg", () => {
  let server: ResendTestServer;
  let database: { url: string; drop(): Promise<void> };
  let h: DbHandle;
  let api: string;
  let web: string;
  const children = new Set<ChildProcess>();

  function spawnWorker(): ChildProcess {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: "4",
        RESEND_API_KEY: API_KEY,
        RESEND_BASE_URL: server.url,
        RESEND_RATE_LIMIT: String(RATE),
        DELIVERY_LEASE_MS: "1500",
        WORKER_POLL_MS: "50",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.add(child);
    child.on("exit", () => children.delete(child));
    return child;
  }

  /** Resolves once the worker says it is sending (connected and migrated). */
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
    server = new ResendTestServer({ apiKey: API_KEY, rate: RATE });
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    server.clear();
    database = await freshDatabaseUrl();
    h = await openDatabase({ url: database.url });
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
  });
  afterEach(async () => {
    await Promise.all([...children].map(kill));
    await h.close();
    await database.drop();
  });

  it("SIGKILLed at random moments (6 times) and restarted: still exactly one email each", async () => {
    const population = await populate(h.db, 10_000, api, web, "kill");
    await declareIncident(h.db, systemActor, {
      name: "Storage outage",
      severity: "SEV-1",
      body: "Objects cannot be written.",
      components: [{ id: api, status: "major_outage" }],
    });
    // Accepted emails when each kill landed: the kills must fall while sending, not before or after it.
    const atKill: number[] = [];
    for (let kills = 0; kills < 6; kills++) {
      const child = spawnWorker();
      await ready(child);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_500));
      await kill(child);
      atKill.push(server.emails.length);
    }
    spawnWorker();
    await waitUntilDone(120_000);
    expect(atKill.filter((n) => n > 0 && n < population.expected.length).length).toBeGreaterThanOrEqual(5);
    // Each life of the worker sent something before it died (after the lease of its predecessor ran out).
    expect(atKill.filter((n, i) => n > (atKill[i - 1] ?? 0)).length).toBeGreaterThanOrEqual(3);
    const keys = new Map<string, number>();
    for (const r of server.requests) if (r.idempotencyKey && r.status === 200) keys.set(r.idempotencyKey, (keys.get(r.idempotencyKey) ?? 0) + 1);
    console.log(`[measure] kills at ${atKill.join(", ")} accepted emails; ${[...keys.values()].filter((n) => n > 1).length} requests replayed by key after a crash`);
    expectExactlyOnce(server, population);
  }, 240_000);

  it.each([2, 4])("%i workers at once, one of them killed: no duplicate, none missing", async (n) => {
    const population = await populate(h.db, 3_000, api, web, `multi${n}`);
    await declareIncident(h.db, systemActor, {
      name: "Queue backlog",
      severity: "SEV-3",
      body: "Jobs are delayed.",
      components: [{ id: api, status: "degraded_performance" }],
    });
    const workers = Array.from({ length: n }, spawnWorker);
    await new Promise((r) => setTimeout(r, 2_500));
    await kill(workers[0]);
    await waitUntilDone(120_000);
    expectExactlyOnce(server, population);
    // Links minted by the worker processes are valid for the app (same derivation, same secret).
    for (const email of server.emails.slice(0, 5)) {
      const token = /\/unsubscribe\/([^/>]+)\/one-click>$/.exec(email.headers["List-Unsubscribe"])![1];
      expect(await subscriptionFor(h.db, token)).toMatchObject({ status: "active" });
    }
  }, 180_000);
});

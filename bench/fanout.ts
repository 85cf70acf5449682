/*
 * Fan-out benchmark on real PostgreSQL with the Resend-compatible test
 * server enforcing a rate:
 *   - time to enqueue 100,000 deliveries when posting an update (aim < 2 s)
 *   - time from posting to the first email accepted
 *   - fan-out time in attach and batch modes as a fraction of the bound the
 *     rate limit sets (N / rate for attach, N / (100 × rate) for batch)
 *
 *   BENCH_DATABASE_URL=postgres://… npx tsx bench/fanout.ts [--sizes 10000,100000] [--attach-rate 500] [--batch-rate 20]
 *
 * Without BENCH_DATABASE_URL it uses TEST_DATABASE_URL (a fresh database per run).
 */
import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { startWorker } from "#lib/delivery/worker.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { resendMailer } from "#lib/delivery/mailer.ts";
import { seedActiveSubscribers } from "../test/support/subscribers.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000" },
    "attach-rate": { type: "string", default: "500" },
    "batch-rate": { type: "string", default: "20" },
    "enqueue-size": { type: "string", default: "100000" },
    modes: { type: "string", default: "attach,batch" },
    /** Standalone worker processes (scripts/worker.ts); 0 runs one worker inside this process. */
    workers: { type: "string", default: "2" },
  },
});
const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!base) throw new Error("set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server");

async function freshDb(): Promise<DbHandle & { url: string; drop(): Promise<void> }> {
  const name = `bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base!);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

async function population(h: DbHandle, n: number) {
  const api = (await createComponent(h.db, systemActor, { name: "API" })).id;
  const started = performance.now();
  await seedActiveSubscribers(
    h.db,
    Array.from({ length: n }, (_, i) => ({ email: `bench-${i}@example.com` })),
  );
  return { api, seedMs: performance.now() - started };
}

const post = (h: DbHandle, api: string) =>
  declareIncident(h.db, systemActor, {
    name: "Benchmark incident",
    severity: "SEV-2",
    body: "Investigating elevated error rates.",
    components: [{ id: api, status: "partial_outage" }],
  });

const line = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

// 1. Enqueue: posting an update that fans out to N subscribers, one transaction.
{
  const n = Number(values["enqueue-size"]);
  const h = await freshDb();
  const { api, seedMs } = await population(h, n);
  line(`seed ${n} subscribers`, `${(seedMs / 1000).toFixed(1)} s`);
  const started = performance.now();
  const { update } = await post(h, api);
  const ms = performance.now() - started;
  const { count } = await h.db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("update_id", "=", update.id)
    .executeTakeFirstOrThrow();
  line(`post update + enqueue ${count} deliveries (pg)`, `${ms.toFixed(0)} ms`);
  await h.drop();
}

// 2. Fan-out per mode and size, with the test server in its own process (as Resend would be).
const serverProcess = spawn(process.execPath, ["--import", "tsx", "test/support/resend-server.ts", "0", "1", "lean"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const serverUrl = await new Promise<string>((resolve) => serverProcess.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim())));
process.on("exit", () => serverProcess.kill());
for (const mode of values.modes!.split(",").filter(Boolean) as ("attach" | "batch")[]) {
  for (const n of values.sizes!.split(",").map(Number)) {
    const rate = Number(mode === "attach" ? values["attach-rate"] : values["batch-rate"]);
    process.env.RESEND_RATE_LIMIT = String(rate);
    await fetch(`${serverUrl}/_test/reset?rate=${rate}`, { method: "POST" });
    process.env.RESEND_BASE_URL = serverUrl;
    const h = await freshDb();
    const { api } = await population(h, n);
    await h.db.insertInto("mail_settings").values({ token_secret: "bench" }).onConflict((oc) => oc.column("singleton").doNothing()).execute();
    await h.db.updateTable("mail_settings").set({ mode }).execute();
    const processes = Number(values.workers);
    const children: ChildProcess[] = Array.from({ length: processes }, () =>
      spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
        env: { ...process.env, DATABASE_URL: h.url, RESEND_API_KEY: "re_bench", WORKER_POLL_MS: "50", WORKER_CONCURRENCY: "16" },
        stdio: ["ignore", "ignore", "pipe"],
      }),
    );
    // The clock starts when every worker is up and idle ("… sending" on stderr).
    await Promise.all(
      children.map(
        (c) => new Promise<void>((resolve) => c.stderr!.on("data", (d: Buffer) => d.toString().includes("sending") && resolve())),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const worker =
      processes === 0
        ? startWorker({ db: h.db, mailer: resendMailer("re_bench"), rate, concurrency: 16, pollMs: 50, log: () => {} })
        : { stop: async () => children.forEach((c) => c.kill("SIGTERM")) };
    const posted = Date.now();
    await post(h, api);
    let stats: { emails: number; recipients: number; firstAt: number; lastAt: number; rateLimited: number };
    do {
      await new Promise((r) => setTimeout(r, 100));
      stats = await (await fetch(`${serverUrl}/_test/stats`)).json();
    } while (stats.emails < n);
    const first = stats.firstAt - posted;
    const last = stats.lastAt - posted;
    await worker.stop();
    const requests = mode === "attach" ? n : Math.ceil(n / 100);
    const bound = (requests / rate) * 1000;
    const how = processes === 0 ? "1 in-process worker" : `${processes} worker processes`;
    line(`${mode} ${n} @ ${rate} req/s, ${how}: first email accepted`, `${first} ms after posting`);
    // Steady state: from the first accepted request to the last, against (requests - 1) / rate.
    const steady = ((requests - 1) / rate) * 1000 / (last - first);
    line(
      `${mode} ${n} @ ${rate} req/s, ${how}: fan-out`,
      `${(last / 1000).toFixed(1)} s after posting, bound ${(bound / 1000).toFixed(1)} s, fraction ${(bound / last).toFixed(3)} (steady state ${steady.toFixed(3)}); ${stats.emails} emails to ${stats.recipients} addresses, ${stats.rateLimited}×429`,
    );
    await h.drop();
  }
}
process.exit(0);

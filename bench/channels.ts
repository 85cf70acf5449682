/*
 * Channel fan-out benchmark on real PostgreSQL: N webhook subscribers (all
 * on one local receiver that answers each request after --delay ms) hear
 * of one posted incident. Prints the time from posting until every one is
 * delivered, the ratio to the bound the configured concurrency allows
 * (N × delay / min(webhook lanes, per-host limit) per worker), and the
 * lost and duplicated deliveries (by event id) — both must be 0.
 *
 *   TEST_DATABASE_URL=postgres://… npx tsx bench/channels.ts [--subscribers 10000] [--delay 100] [--workers 1]
 *
 * The per-host limit (CHANNEL_HOST_CONCURRENCY) matters most here, since
 * every subscriber shares the receiver's host; the bench sets it to the
 * webhook lane count unless the environment already does.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { openDatabase } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { channelLimits } from "#lib/delivery/channel-worker.ts";
import { startWorker } from "#lib/delivery/worker.ts";
import { freshDatabaseUrl } from "../test/support/databases.ts";
import { seedChannelSubscribers } from "../test/support/subscribers.ts";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "10000" },
    delay: { type: "string", default: "100" },
    workers: { type: "string", default: "1" },
  },
});
const n = Number(values.subscribers);
const delay = Number(values.delay);
const workers = Number(values.workers);
process.env.CHANNEL_ALLOW_LOOPBACK = "true";
process.env.CHANNEL_CONCURRENCY_WEBHOOK ??= "64";
process.env.CHANNEL_HOST_CONCURRENCY ??= process.env.CHANNEL_CONCURRENCY_WEBHOOK;
process.env.DATABASE_POOL_SIZE ??= "10";

const byEvent = new Map<string, number>();
let requests = 0;
let inFlight = 0;
let peak = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    requests++;
    inFlight++;
    peak = Math.max(peak, inFlight);
    const id = String(req.headers["candor-event-id"]);
    setTimeout(() => {
      inFlight--;
      byEvent.set(id, (byEvent.get(id) ?? 0) + 1);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    }, delay);
  });
});
receiver.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const database = await freshDatabaseUrl(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL, "bench");
const h = await openDatabase({ url: database.url });
try {
  const api = (await createComponent(h.db, systemActor, { name: "API" })).id;
  await seedChannelSubscribers(h.db, Array.from({ length: n }, () => ({ url, channel: "webhook" as const })));
  const running = Array.from({ length: workers }, () => startWorker({ db: h.db, pollMs: 50, channels: true }));

  const started = performance.now();
  const posted = await declareIncident(h.db, systemActor, {
    name: "Benchmark incident",
    severity: "SEV-2",
    body: "Investigating elevated error rates.",
    components: [{ id: api, status: "partial_outage" }],
  });
  const enqueuedMs = performance.now() - started;
  let sentMs = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const { left } = await h.db
      .selectFrom("deliveries")
      .select((eb) => eb.fn.countAll<string>().as("left"))
      .where("update_id", "=", posted.update.id)
      .where("status", "in", ["queued", "sending"])
      .executeTakeFirstOrThrow();
    if (Number(left) === 0) {
      sentMs = performance.now() - started;
      break;
    }
    if (performance.now() - started > 300_000) throw new Error("not delivered within 5 minutes");
  }
  await Promise.all(running.map((w) => w.stop()));

  const limits = channelLimits();
  const lanes = Math.min(limits.perKind.webhook, limits.perHost) * workers;
  const boundMs = (n * delay) / lanes;
  const sent = await h.db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("update_id", "=", posted.update.id)
    .where("status", "=", "sent")
    .executeTakeFirstOrThrow();
  const lost = n - byEvent.size;
  const duplicated = [...byEvent.values()].filter((c) => c > 1).length;
  const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
  line("subscribers (webhook, one host)", String(n));
  line("receiver answers after", `${delay} ms`);
  line("workers × concurrent requests to the host", `${workers} × ${Math.min(limits.perKind.webhook, limits.perHost)}`);
  line("enqueue (posting transaction)", `${enqueuedMs.toFixed(0)} ms`);
  line("posted → all delivered", `${(sentMs / 1000).toFixed(2)} s`);
  line("bound (N × delay / concurrency)", `${(boundMs / 1000).toFixed(2)} s`);
  line("ratio to the bound", (sentMs / boundMs).toFixed(2));
  line("peak requests in flight at the receiver", String(peak));
  line("requests / deliveries marked sent", `${requests} / ${sent.n}`);
  line("lost (no request)", String(lost));
  line("duplicated (same event id twice)", String(duplicated));
  if (lost > 0 || duplicated > 0) process.exitCode = 1;
} finally {
  await h.close();
  await database.drop();
  receiver.closeAllConnections();
  receiver.close();
}

/*
 * `npx tsx bench/api.ts` — the machine endpoints under load, as ratios
 * measured in one run (this machine is noisy; absolute numbers are not
 * comparable across runs):
 *  1. `/api/v2/summary.json` and `/history.rss`: req/s and p99 (wrk, 10 s,
 *     10 connections) vs nginx serving the same bytes from a file, and the
 *     server's CPU time per request (less its idle background work: the
 *     in-process delivery worker), which other load on the machine distorts less;
 *     and the database transactions during the load (background work only
 *     when responses come from the cache).
 *  2. The snapshot query behind them on demo data vs a 10-year history
 *     (10,000 incidents, 100 components) on PostgreSQL.
 * Needs: a build in NEXT_DIST_DIR (default .next), wrk, nginx, PostgreSQL binaries.
 */
import { readFileSync } from "node:fs";
import { sql } from "kysely";
import { openDatabase } from "#db/client.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { loadSnapshot } from "#lib/public/statuspage-v2.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { startNextServer } from "../test/support/next-server.ts";
import { generateLongHistory } from "./history-data.ts";
import { createDatabases, median, startNginx, wrk } from "./load.ts";

process.env.NEXT_DIST_DIR ||= ".next";
const cluster = await startCluster();
const url = await createDatabases(cluster.url, ["demo", "longhistory"]);

const demo = await openDatabase({ url: url("demo") });
await seedDemo(demo.db);
const monitor = await openDatabase({ url: cluster.url });
async function transactions(): Promise<number> {
  const { rows } = await sql<{ n: string }>`select xact_commit + xact_rollback as n from pg_stat_database where datname = 'demo'`.execute(monitor.db);
  return Number(rows[0].n);
}

const endpoints = [
  { path: "/api/v2/summary.json", type: "application/json; charset=utf-8" },
  { path: "/history.rss", type: "application/rss+xml; charset=utf-8" },
];

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const results: Record<string, string> = {};
const server = await startNextServer({ DATABASE_URL: url("demo") });
const pid = server.process.pid!;
try {
  const files: Record<string, { body: Buffer; type: string }> = {};
  for (const e of endpoints) {
    files[e.path] = { body: Buffer.from(await (await fetch(`${server.url}${e.path}`)).arrayBuffer()), type: e.type };
  }
  const nginx = await startNginx(files);
  try {
    const idleStart = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 5000));
    const idlePerSecond = (cpuSeconds(pid) - idleStart) / 5;
    results["server idle CPU (background work)"] = `${(idlePerSecond * 100).toFixed(1)}% of a core`;
    for (const e of endpoints) {
      const cpuStart = cpuSeconds(pid);
      const transactionsBefore = await transactions();
      const started = performance.now();
      const ours = wrk(`${server.url}${e.path}`);
      const elapsed = (performance.now() - started) / 1000;
      const cpuUsed = cpuSeconds(pid) - cpuStart;
      // Backends report their counts to pg_stat_database within a second of going idle.
      await new Promise((r) => setTimeout(r, 1500));
      results[`${e.path} DB transactions during load`] =
        `${(await transactions()) - transactionsBefore} for ${Math.round(ours.requestsPerSecond * elapsed)} requests`;
      const perRequest = ((cpuUsed - idlePerSecond * elapsed) / (ours.requestsPerSecond * elapsed)) * 1000;
      results[`${e.path} server CPU ms per request`] = `${perRequest.toFixed(2)} (one core: ~${(1000 / perRequest).toFixed(0)} req/s)`;
      const theirs = wrk(`${nginx.url}${e.path}`);
      results[`${e.path} size`] = `${(files[e.path].body.length / 1024).toFixed(1)} KB`;
      results[`${e.path} req/s candor / nginx`] = `${ours.requestsPerSecond.toFixed(0)} / ${theirs.requestsPerSecond.toFixed(0)}`;
      results[`${e.path} throughput ratio candor/nginx`] = (ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(3);
      results[`${e.path} p99 ms candor / nginx`] = `${ours.p99Ms.toFixed(1)} / ${theirs.p99Ms.toFixed(1)}`;
      results[`${e.path} non-2xx during load`] = String(ours.non2xx);
    }
  } finally {
    nginx.stop();
  }
} finally {
  await server.stop();
}

// 2. What a cache refresh costs: the snapshot query, median of 15 runs.
const long = await openDatabase({ url: url("longhistory") });
await generateLongHistory(long.db);
const snapshotDemo = await median(() => loadSnapshot(demo.db));
const snapshotLong = await median(() => loadSnapshot(long.db));
results["snapshot query ms demo / 10-year (ratio)"] = `${snapshotDemo.toFixed(1)} / ${snapshotLong.toFixed(1)} (${(snapshotLong / snapshotDemo).toFixed(2)})`;
await demo.close();
await long.close();
await monitor.close();
cluster.stop();

for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(52)} ${v}`);

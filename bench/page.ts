/*
 * `npx tsx bench/page.ts` — the public page under load, as ratios measured in
 * one run (this machine is noisy; absolute numbers are not comparable):
 *  1. `/` req/s and p99 (wrk, 10 s, 10 connections) from `npm start`'s server
 *     (server.ts: the microcache in front of Next) vs nginx serving the same
 *     bytes; also Next alone (the microcache bypassed), for comparison.
 *  2. `/` right after an update invalidated it: first request latency, then steady state.
 *  3. (Read-model time with a 10-year history: bench/read-model.ts.)
 *  4. Transfer size of `/` (HTML + CSS + JS, gzip).
 *  5. A localised `/de` (its own microcache copy), and `/` as browsers ask for
 *     it with Accept-Language (the locale negotiation in front of the
 *     microcache), each as a ratio to `/` in the same run (issue 14: within 10 %).
 * Also the server's CPU per request of `/` (less noisy than req/s on a shared
 * machine), its idle CPU (background work), and `/` with Accept-Encoding: gzip
 * as browsers ask for it (wrk sends none, so Next does not compress above).
 * Needs: a build in NEXT_DIST_DIR (default .next), wrk, nginx, PostgreSQL binaries.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { openDatabase } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { startNextServer } from "../test/support/next-server.ts";
import { createDatabases, startNginx, wrk } from "./load.ts";

process.env.NEXT_DIST_DIR ||= ".next";
const cluster = await startCluster();
const url = await createDatabases(cluster.url, ["demo"]);

const demo = await openDatabase({ url: url("demo") });
await seedDemo(demo.db);
const { token } = await createApiKey(demo.db, systemActor, { name: "bench", scope: "write" });
const active = await demo.db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow();

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const server = await startNextServer({ DATABASE_URL: url("demo") });
const pid = server.process.pid!;
const results: Record<string, string> = {};
try {
  // 1. Steady state vs nginx.
  const html = await (await fetch(`${server.url}/`)).text();
  const nginx = await startNginx({ "/": { body: html, type: "text/html; charset=utf-8" } });
  // Warm up first: the first seconds of load ran slower than the rest and would flatter every later ratio to `/`.
  wrk(`${server.url}/`, 3);
  wrk(`${server.url}/de`, 3);
  const idleStart = cpuSeconds(pid);
  await new Promise((r) => setTimeout(r, 5000));
  const idlePerSecond = (cpuSeconds(pid) - idleStart) / 5;
  const cpuStart = cpuSeconds(pid);
  const started = performance.now();
  const ours = wrk(`${server.url}/`);
  const elapsed = (performance.now() - started) / 1000;
  const perRequest = ((cpuSeconds(pid) - cpuStart - idlePerSecond * elapsed) / (ours.requestsPerSecond * elapsed)) * 1000;
  const theirs = wrk(`${nginx.url}/`);
  nginx.stop();
  // Each against `/` measured right before it, so drift over the run does not count as a difference.
  const englishBefore = wrk(`${server.url}/`);
  const german = wrk(`${server.url}/de`);
  const englishAgain = wrk(`${server.url}/`);
  const negotiated = wrk(`${server.url}/`, 10, 10, ["accept-language: en-US,en;q=0.9,de;q=0.8"]);
  results["/de req/s (localised)"] = `${german.requestsPerSecond.toFixed(0)} (ratio to / just before ${(german.requestsPerSecond / englishBefore.requestsPerSecond).toFixed(3)})`;
  results["/ req/s with Accept-Language"] = `${negotiated.requestsPerSecond.toFixed(0)} (ratio to / just before ${(negotiated.requestsPerSecond / englishAgain.requestsPerSecond).toFixed(3)})`;
  results["/de p99 ms"] = german.p99Ms.toFixed(1);
  // A prefetch header without RSC: the microcache leaves it to Next, which answers with the page.
  const nextAlone = wrk(`${server.url}/`, 10, 10, ["next-router-prefetch: 1"]);
  const gzipOut = execFileSync("wrk", ["-t2", "-c10", "-d10s", "-H", "Accept-Encoding: gzip", `${server.url}/`], { encoding: "utf8" });
  results["server idle CPU (background work)"] = `${(idlePerSecond * 100).toFixed(1)}% of a core`;
  results["/ server CPU ms per request"] = `${perRequest.toFixed(2)} (one core: ~${(1000 / perRequest).toFixed(0)} req/s)`;
  results["/ req/s with Accept-Encoding: gzip"] = /Requests\/sec:\s+([\d.]+)/.exec(gzipOut)?.[1] ?? "?";
  results["/ req/s (candor)"] = ours.requestsPerSecond.toFixed(0);
  results["/ req/s (nginx, same bytes)"] = theirs.requestsPerSecond.toFixed(0);
  results["/ req/s (Next alone, microcache bypassed)"] = nextAlone.requestsPerSecond.toFixed(0);
  results["/ throughput ratio candor/nginx"] = (ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(3);
  results["/ throughput ratio Next alone/nginx"] = (nextAlone.requestsPerSecond / theirs.requestsPerSecond).toFixed(3);
  results["/ p99 ms candor / nginx / Next alone"] = `${ours.p99Ms.toFixed(1)} / ${theirs.p99Ms.toFixed(1)} / ${nextAlone.p99Ms.toFixed(1)}`;
  results["/ non-2xx during load"] = String(ours.non2xx);

  // 2. After an update invalidates the cache.
  // After wrk the server may close a kept-alive socket under us: retry the POST on a socket error.
  let post: Response | null = null;
  for (let attempt = 0; !post; attempt++) {
    try {
      post = await fetch(`${server.url}/api/v1/incidents/${active.id}/updates`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ status: "monitoring", body: "Bench update: capacity added, monitoring.", notify: false }),
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (!post.ok) throw new Error(`posting an update failed: ${post.status} ${await post.text()}`);
  const t0 = performance.now();
  await (await fetch(`${server.url}/`)).text();
  results["/ first request after invalidation (ms)"] = (performance.now() - t0).toFixed(1);
  const t1 = performance.now();
  while (!(await (await fetch(`${server.url}/`)).text()).includes("Bench update") && performance.now() - t1 < 5000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  results["/ time until the update shows (ms)"] = (performance.now() - t0).toFixed(0);
  const after = wrk(`${server.url}/`, 5);
  results["/ req/s right after invalidation (5 s)"] = `${after.requestsPerSecond.toFixed(0)} (ratio to steady ${(after.requestsPerSecond / ours.requestsPerSecond).toFixed(2)})`;

  // 4. Transfer size.
  const gz = (s: string | Buffer) => gzipSync(s).length;
  let total = gz(html);
  const assets = [...html.matchAll(/(?:href|src)="(\/_next\/static\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]);
  for (const asset of new Set(assets)) total += gz(Buffer.from(await (await fetch(`${server.url}${asset}`)).arrayBuffer()));
  results["/ transfer size gzip (HTML + CSS + JS)"] = `${(total / 1024).toFixed(1)} KB (HTML ${(gz(html) / 1024).toFixed(1)} KB, ${new Set(assets).size} assets)`;
} finally {
  await server.stop();
}

await demo.close();
cluster.stop();

for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(48)} ${v}`);

/*
 * `npx tsx bench/widget.ts` — the in-app widget's costs, as figures and
 * ratios measured in one run (this machine is noisy; absolute numbers are
 * not comparable):
 *  1. public/embed.js: bytes, gzipped (the budget is 5 KB; test/unit/embed-widget.test.ts holds it).
 *  2. /embed/status.json, what every open tab of a customer's product polls:
 *     req/s and p99 (wrk, 10 s, 10 connections) from `npm start`'s server
 *     (the microcache in front of Next) vs nginx serving the same bytes, for
 *     a plain 200 and for the poll's usual answer, a 304 to If-None-Match.
 * Needs: a build in NEXT_DIST_DIR (default .next), wrk, nginx, PostgreSQL binaries.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { openDatabase } from "#db/client.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { startNextServer } from "../test/support/next-server.ts";
import { createDatabases, startNginx, wrk } from "./load.ts";

process.env.NEXT_DIST_DIR ||= ".next";
const results: Record<string, string> = {};
const script = readFileSync(new URL("../public/embed.js", import.meta.url));
results["embed.js bytes / gzipped (-9)"] = `${script.length} / ${gzipSync(script, { level: 9 }).length} (budget 5120)`;

const cluster = await startCluster();
const url = await createDatabases(cluster.url, ["demo"]);
const demo = await openDatabase({ url: url("demo") });
await seedDemo(demo.db);
await demo.close();

const server = await startNextServer({ DATABASE_URL: url("demo"), CANDOR_WORKER: "off" });
const path = "/embed/status.json";
try {
  const first = await fetch(`${server.url}${path}`);
  const body = await first.text();
  const etag = first.headers.get("etag")!;
  results[`${path} bytes`] = String(Buffer.byteLength(body));
  const nginx = await startNginx({ [path]: { body, type: "application/json; charset=utf-8" } });
  const nginxEtag = (await fetch(`${nginx.url}${path}`)).headers.get("etag")!;
  try {
    const ours = wrk(`${server.url}${path}`);
    const theirs = wrk(`${nginx.url}${path}`);
    const ours304 = wrk(`${server.url}${path}`, 10, 10, [`If-None-Match: ${etag}`]);
    const theirs304 = wrk(`${nginx.url}${path}`, 10, 10, [`If-None-Match: ${nginxEtag}`]);
    results[`${path} req/s candor / nginx (200)`] = `${ours.requestsPerSecond.toFixed(0)} / ${theirs.requestsPerSecond.toFixed(0)}`;
    results[`${path} throughput ratio candor/nginx (200)`] = (ours.requestsPerSecond / theirs.requestsPerSecond).toFixed(3);
    results[`${path} p99 ms candor / nginx (200)`] = `${ours.p99Ms.toFixed(2)} / ${theirs.p99Ms.toFixed(2)}`;
    results[`${path} req/s candor / nginx (304)`] = `${ours304.requestsPerSecond.toFixed(0)} / ${theirs304.requestsPerSecond.toFixed(0)}`;
    results[`${path} throughput ratio candor/nginx (304)`] = (ours304.requestsPerSecond / theirs304.requestsPerSecond).toFixed(3);
    results[`${path} non-2xx/3xx during load`] = String(ours.non2xx + ours304.non2xx);
  } finally {
    nginx.stop();
  }
} finally {
  await server.stop();
  cluster.stop();
}

for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(56)} ${v}`);

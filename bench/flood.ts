/*
 * `npx tsx bench/flood.ts` — floods that reach the renderer (hardening
 * findings 7 and 8), as ratios measured in one run (this machine is noisy;
 * absolute numbers are not comparable):
 *  1. `/` with a unique query string per request vs plain `/` (req/s; target ≥ 0.8).
 *  2. p99 of plain `/` readers (2 connections) while 20 connections flood the
 *     server with unique query strings on `/`, made-up paths (percent-encoded
 *     too), incident ids, API incident ids and badges, and wrong-password sign-ins, each vs their p99 unloaded just before (target ≤ 2).
 * Also the files and bytes Next wrote under the build's server directory
 * during the made-up-path flood. Loopback only; about 90 s; stops by itself.
 * Needs: a build in NEXT_DIST_DIR (default .next), wrk, PostgreSQL binaries.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openDatabase } from "#db/client.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { startNextServer } from "../test/support/next-server.ts";
import { createDatabases, parseWrk, type LoadResult } from "./load.ts";

process.env.NEXT_DIST_DIR ||= ".next";
const SECONDS = 8;
/** Enough that no request repeats within a run (wrk on two cores stays well under 20,000 req/s per thread). */
const REQUESTS_PER_THREAD = 200_000;
const cluster = await startCluster();
const url = await createDatabases(cluster.url, ["demo"]);
const demo = await openDatabase({ url: url("demo") });
await seedDemo(demo.db);
await demo.close();

const scripts = mkdtempSync(join(tmpdir(), "candor-flood-"));
const random = `
local chars = "abcdefghijklmnopqrstuvwxyz0123456789"
local function rnd(n)
  local t = {}
  for i = 1, n do local k = math.random(1, 36); t[i] = chars:sub(k, k) end
  return table.concat(t)
end
local threads = 0
function setup(thread) threads = threads + 1; thread:set("seed", threads) end
function init(args) math.randomseed(os.time() * 100 + seed) end
`;
/**
 * A wrk Lua script whose `make` builds a request with rnd(n), a random
 * [a-z0-9]{n}. Each thread builds its requests before the run, so wrk spends
 * as little per request as it does on plain / (the same script with a fixed request).
 */
function script(name: string, make: string): string {
  const path = join(scripts, `${name}.lua`);
  writeFileSync(
    path,
    `${random}
local function make()
${make}
end
local requests, i = {}, 0
local seeded = init
function init(args)
  seeded(args)
  for n = 1, ${REQUESTS_PER_THREAD} do requests[n] = make() end
end
function request()
  i = i % #requests + 1
  return requests[i]
end
`,
  );
  return path;
}
const fixedHome = script("home", `return wrk.format(nil, "/")`);
const uniqueQuery = script("query", `return wrk.format(nil, "/?r=" .. rnd(12))`);
const madeUpPaths = script(
  "not-found",
  `local shape = math.random(1, 6)
  if shape == 1 then return wrk.format(nil, "/" .. rnd(6)) end
  if shape == 2 then return wrk.format(nil, "/incidents/" .. rnd(12)) end
  if shape == 3 then return wrk.format(nil, "/%61" .. rnd(6)) end
  if shape == 4 then return wrk.format(nil, "/api/v2/incidents/" .. rnd(12) .. ".json") end
  if shape == 5 then return wrk.format(nil, "/components/" .. rnd(12) .. "/badge.svg") end
  return wrk.format(nil, "/" .. rnd(4) .. "/" .. rnd(4) .. "/" .. rnd(4))`,
);

/** wrk in the background (so two can run at once): 2 threads, --latency. */
function wrk(target: string, connections: number, options: { script?: string; headers?: string[] } = {}): Promise<LoadResult> {
  const args = [`-t${Math.min(2, connections)}`, `-c${connections}`, `-d${SECONDS}s`, "--latency"];
  for (const header of options.headers ?? []) args.push("-H", header);
  if (options.script) args.push("-s", options.script);
  return new Promise((done, fail) => {
    const child = spawn("wrk", [...args, target], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? done(parseWrk(out)) : fail(new Error(`wrk exited ${code}:\n${out}`))));
  });
}

const distServer = resolve(import.meta.dirname, "..", process.env.NEXT_DIST_DIR, "server");
function serverFiles(): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(distServer, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

const server = await startNextServer({ DATABASE_URL: url("demo") });
const results: Record<string, string> = {};
try {
  const home = `${server.url}/`;
  // Warm up: the copies of / and of the not-found page, Next's own caches.
  await wrk(home, 10);
  await fetch(`${server.url}/made-up-warm-up`).then((r) => r.text());

  // 1. Throughput: unique query strings vs plain /.
  const plain = await wrk(home, 10, { script: fixedHome });
  const queried = await wrk(home, 10, { script: uniqueQuery });
  results["/ req/s plain / unique query string"] = `${plain.requestsPerSecond.toFixed(0)} / ${queried.requestsPerSecond.toFixed(0)}`;
  results["/ with unique query strings, throughput ratio (target ≥ 0.8)"] = (queried.requestsPerSecond / plain.requestsPerSecond).toFixed(3);

  // 2. Readers of / while 20 connections flood.
  const readers = () => wrk(home, 2);
  const signIn = script(
    "sign-in",
    `return wrk.format("POST", "/api/auth/sign-in/email", nil, '{"email":"' .. rnd(8) .. '@example.com","password":"' .. rnd(16) .. '"}')`,
  );
  const floods: [string, () => Promise<LoadResult>][] = [
    ["unique query strings on /", () => wrk(home, 20, { script: uniqueQuery })],
    ["made-up paths and incident ids", () => wrk(home, 20, { script: madeUpPaths })],
    [
      "wrong-password sign-ins",
      () => wrk(home, 20, { script: signIn, headers: ["Content-Type: application/json", `Origin: ${server.url}`] }),
    ],
  ];
  for (const [name, flood] of floods) {
    // Unloaded right before each flood: others' work on this machine drifts over a minute.
    const unloaded = await readers();
    results[`flood: ${name}, / readers p99 ms unloaded just before`] = unloaded.p99Ms.toFixed(2);
    const before = serverFiles();
    const [loaded, flooding] = await Promise.all([readers(), flood()]);
    const after = serverFiles();
    results[`flood: ${name}, req/s / non-2xx`] = `${flooding.requestsPerSecond.toFixed(0)} / ${flooding.non2xx}`;
    results[`flood: ${name}, / readers p99 ms`] = loaded.p99Ms.toFixed(2);
    results[`flood: ${name}, / readers p99 ratio to unloaded (target ≤ 2)`] = (loaded.p99Ms / unloaded.p99Ms).toFixed(2);
    results[`flood: ${name}, files / bytes written under server/`] = `${after.files - before.files} / ${after.bytes - before.bytes}`;
  }
} finally {
  await server.stop();
  cluster.stop();
  rmSync(scripts, { recursive: true, force: true });
}
for (const [name, value] of Object.entries(results)) console.log(`${name.padEnd(76)} ${value}`);

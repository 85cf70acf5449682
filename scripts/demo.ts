/*
 * `npm run demo`: the newcomer's one command after `npm install`. Seeds demo
 * data into the embedded database (.data/pglite), creates a demo owner,
 * builds when the build is missing or older than the source, and starts the
 * site at http://localhost:3000.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "#db/client.ts";
import { seedDemo } from "./demo-data.ts";
import { demoOwnerCredentials } from "./demo-owner.ts";

const root = join(import.meta.dirname, "..");
const distDir = process.env.NEXT_DIST_DIR || ".next";
const port = process.env.PORT ?? "3000";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIsCurrent(): boolean {
  const stamp = join(root, distDir, "BUILD_ID");
  if (!existsSync(stamp)) return false;
  const sources = ["app", "components", "lib", "emails", "db", "public"].filter((d) => existsSync(join(root, d)));
  const newest = Math.max(...sources.map((d) => newestSource(join(root, d))), statSync(join(root, "next.config.mjs")).mtimeMs);
  return statSync(stamp).mtimeMs > newest;
}

// The embedded database is opened here, seeded, and closed before the server opens it (one process at a time).
const handle = await openDatabase();
const { seeded } = await seedDemo(handle.db);
const owner = await demoOwnerCredentials(handle);
await handle.close();
console.log(seeded ? "Demo data created in the embedded database (.data/pglite)." : "Using the existing embedded database (.data/pglite).");

if (!buildIsCurrent()) {
  console.log("Building the site (about a minute the first time)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(`\nCandor is starting at http://localhost:${port}`);
console.log(`Admin: http://localhost:${port}/admin — sign in as ${owner.email} / ${owner.password}\n`);
const server = spawn(process.execPath, ["server.ts", "-p", port], {
  stdio: "inherit",
  cwd: root,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

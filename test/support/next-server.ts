/*
 * Starts the production build (NEXT_DIST_DIR, default .next-test — `npm test`
 * builds it) with the production server (server.ts, what `npm start` runs) on
 * a free port, for tests that need the real server: caching, the microcache, a dead
 * database, machine endpoints.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../../scripts/pg-cluster.ts";

export interface NextServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, "../..");

export async function startNextServer(env: Record<string, string | undefined>): Promise<NextServer> {
  const distDir = process.env.NEXT_DIST_DIR || ".next-test";
  if (!existsSync(join(root, distDir, "BUILD_ID"))) {
    throw new Error(`no production build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npx next build\` (npm test does)`);
  }
  const port = await freePort();
  let log = "";
  const child = spawn(join(root, "node_modules/.bin/node"), ["server.ts", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    try {
      await fetch(`${url}/api/v2/status.json`, { signal: AbortSignal.timeout(2000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the server did not answer within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

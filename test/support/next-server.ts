/*
 * Starts the production build (NEXT_DIST_DIR, default .next-test — `npm test`
 * builds it) with the production server (server.ts, what `npm start` runs) on
 * a free port, for tests that need the real server: caching, the microcache, a dead
 * database, machine endpoints.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { openDatabase, type Db } from "#db/client.ts";
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

export interface PreparedServerOptions {
  /** Fills the database, in this process, before the server opens it. */
  prepare?: (db: Db) => Promise<void>;
  /** A PostgreSQL database to serve (the test owns it); else a fresh embedded one in a temporary directory. */
  postgresUrl?: string;
  /** More environment for the server. */
  env?: Record<string, string | undefined>;
}

/**
 * The production server on a database that `prepare` filled first (closed
 * again before the server starts); stop() also removes an embedded
 * database's directory.
 */
export async function startPreparedServer({ prepare, postgresUrl, env = {} }: PreparedServerOptions): Promise<NextServer> {
  const dir = postgresUrl ? undefined : mkdtempSync(join(tmpdir(), "candor-server-"));
  const database = dir ? { dataDir: join(dir, "pglite"), url: "" } : { url: postgresUrl! };
  const removeDir = () => dir && rmSync(dir, { recursive: true, force: true });
  try {
    if (prepare) {
      const handle = await openDatabase(database);
      try {
        await prepare(handle.db);
      } finally {
        await handle.close();
      }
    }
    const server = await startNextServer(dir ? { PGLITE_DIR: database.dataDir, DATABASE_URL: "", ...env } : { DATABASE_URL: postgresUrl, ...env });
    return {
      ...server,
      async stop() {
        await server.stop();
        removeDir();
      },
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}

/** Signs in through the server's auth API, as the sign-in form does; the session cookie to send along. */
export async function signInCookie(server: NextServer, email: string, password: string): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status, `sign-in as ${email}: ${await response.clone().text()} ${server.output().slice(-2000)}`).toBe(200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

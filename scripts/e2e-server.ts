/*
 * The server Playwright tests run against: a fresh embedded database in a
 * temporary directory, demo data, the demo owner (DEMO_OWNER_EMAIL /
 * DEMO_OWNER_PASSWORD, see scripts/demo-owner.ts), a Resend-compatible test
 * server when test/support/resend-server.ts provides `startResendServer`
 * (its URL is written to $E2E_STATE_DIR/resend-url), then the production
 * server (server.ts) on E2E_PORT from the build in NEXT_DIST_DIR.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "#db/client.ts";
import { seedDemo } from "./demo-data.ts";
import { demoOwnerCredentials } from "./demo-owner.ts";

const port = process.env.E2E_PORT ?? "3100";
const dir = mkdtempSync(join(tmpdir(), "candor-e2e-"));
const stateDir = process.env.E2E_STATE_DIR ?? join(tmpdir(), `candor-e2e-state-${port}`);
mkdirSync(stateDir, { recursive: true });
const dataDir = join(dir, "pglite");

const handle = await openDatabase({ dataDir, url: "" });
await seedDemo(handle.db);
await demoOwnerCredentials(handle);
await handle.close();

const env: NodeJS.ProcessEnv = {
  ...process.env,
  PGLITE_DIR: dataDir,
  DATABASE_URL: "",
  NEXT_TELEMETRY_DISABLED: "1",
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  // Reporters' "it is fixed" emails go out within a second, not the default 15.
  REPORT_FOLLOWUP_POLL_MS: "1000",
  // The browser tests' webhook receivers listen on loopback (off by default everywhere else).
  CHANNEL_ALLOW_LOOPBACK: "true",
};

const resendModule = "../test/support/resend-server.ts";
const resend = (await import(resendModule).catch(() => null)) as
  | { startResendServer?: (options?: Record<string, unknown>) => Promise<{ url: string; close(): Promise<void> }> }
  | null;
let resendServer: { url: string; close(): Promise<void> } | null = null;
if (resend?.startResendServer) {
  resendServer = await resend.startResendServer({ rate: 1000 });
  env.RESEND_BASE_URL = resendServer.url;
  env.RESEND_API_KEY = "re_test_e2e";
  env.RESEND_RATE_LIMIT = "1000";
  writeFileSync(join(stateDir, "resend-url"), resendServer.url);
}

const server = spawn(process.execPath, ["server.ts", "-p", port, "-H", "127.0.0.1"], { stdio: "inherit", env });
const stop = async () => {
  server.kill("SIGTERM");
  await resendServer?.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
server.on("exit", (code) => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(code ?? 0);
});

import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

/*
 * Browser tests drive Debian's Chromium against the production server
 * (server.ts) on demo-seeded embedded databases in temporary directories
 * (scripts/e2e-server.ts).
 * Two servers: specs that only read the demo data get one to themselves, so
 * the specs that declare incidents, subscribe and create keys can't change
 * what they assert. Build first (`npm test` does): NEXT_DIST_DIR selects it.
 */
const readersPort = Number(process.env.E2E_PORT ?? 3100);
const writersPort = readersPort + 1;
const stateDir = (port: number) => join(tmpdir(), `candor-e2e-state-${port}`);
// Specs read the writers' server state (the Resend test server's URL) from here.
process.env.E2E_STATE_DIR = stateDir(writersPort);

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

function server(port: number) {
  return {
    command: `npx tsx scripts/e2e-server.ts`,
    url: `http://127.0.0.1:${port}/`,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
    env: { E2E_PORT: String(port), E2E_STATE_DIR: stateDir(port), NEXT_TELEMETRY_DISABLED: "1" },
  };
}

export default defineConfig({
  testDir: "test/e2e",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  workers: 1,
  reporter: [["list"]],
  use: { launchOptions: chromium },
  projects: [
    { name: "readers", testMatch: "public.spec.ts", use: { baseURL: `http://127.0.0.1:${readersPort}` } },
    {
      name: "writers",
      testIgnore: "public.spec.ts",
      use: { baseURL: `http://127.0.0.1:${writersPort}` },
    },
  ],
  webServer: [server(readersPort), server(writersPort)],
});

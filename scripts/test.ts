/*
 * `npm test`: every test. Type-check, then unit + integration tests (vitest)
 * on PGlite and on a real PostgreSQL cluster (started here when
 * TEST_DATABASE_URL is not given), then the browser tests (Playwright in
 * Debian's Chromium) against a production build. Prints one closing line:
 * "N passed, N failed".
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresAvailable, startCluster, type Cluster } from "./pg-cluster.ts";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const only = (name: string) => args.length === 0 || args.includes(name);
const distDir = process.env.NEXT_DIST_DIR || ".next-test";
const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir };

/** Suites whose assertions are timings of several servers: run after the rest, one file at a time. */
const LATENCY_TESTS = ["test/integration/instances.test.ts", "test/integration/microcache.test.ts"];

let cluster: Cluster | null = null;
let passed = 0;
let failed = 0;
let stepFailed = false;
/** What failed, with the first lines of why: repeated above the closing line, where a CI log's tail shows it. */
const failures: string[] = [];

function step(name: string, command: string, commandArgs: string[], extraEnv: Record<string, string | undefined> = {}) {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, commandArgs, { stdio: "inherit", cwd: root, env: { ...env, ...extraEnv } });
  console.log(`◀ ${name}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) stepFailed = true;
  return result.status === 0;
}

interface PlaywrightSuite {
  specs?: { title: string; tests?: { status: string; results?: { error?: { message?: string } }[] }[] }[];
  suites?: PlaywrightSuite[];
}

function countJson(file: string, kind: "vitest" | "playwright") {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (kind === "vitest") {
    for (const file of report.testResults ?? []) {
      for (const test of file.assertionResults ?? []) {
        if (test.status === "failed") failures.push(`${test.fullName}\n    ${String(test.failureMessages?.[0] ?? "").split("\n").slice(0, 12).join("\n    ")}`);
      }
    }
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numTodoTests ?? 0) + (report.numPendingTests ?? 0);
  } else {
    const walk = (suite: PlaywrightSuite) => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests ?? []) {
          if (test.status === "unexpected") failures.push(`${spec.title}\n    ${String(test.results?.at(-1)?.error?.message ?? "").split("\n").slice(0, 12).join("\n    ")}`);
        }
      }
      for (const child of suite.suites ?? []) walk(child);
    };
    for (const suite of report.suites ?? []) walk(suite);
    passed += (report.stats?.expected ?? 0) + (report.stats?.flaky ?? 0);
    failed += (report.stats?.unexpected ?? 0) + (report.stats?.skipped ?? 0);
  }
  rmSync(file, { force: true });
}

try {
  if (only("typecheck")) step("type-check", "npx", ["tsc", "--noEmit", "-p", "."]);

  if (!env.TEST_DATABASE_URL && postgresAvailable()) {
    cluster = await startCluster();
    env.TEST_DATABASE_URL = cluster.url;
    console.log(`Started a throwaway PostgreSQL cluster at ${cluster.url}`);
  } else if (!env.TEST_DATABASE_URL) {
    console.log("PostgreSQL not installed: integration tests run on PGlite only (CI installs it).");
  }

  // Built before vitest: server tests (cache, dead database, machine endpoints) start this build.
  const built = step("production build", "npx", ["next", "build"]);

  if (only("unit") || only("integration")) {
    const vitestJson = join(tmpdir(), `candor-vitest-${process.pid}.json`);
    step("unit and integration tests (vitest)", "npx", [
      "vitest",
      "run",
      ...LATENCY_TESTS.map((file) => `--exclude=${file}`),
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${vitestJson}`,
    ]);
    countJson(vitestJson, "vitest");
    // They assert how soon a change shows (within a second): alone, not beside another suite's servers.
    const latencyJson = join(tmpdir(), `candor-vitest-latency-${process.pid}.json`);
    step("latency tests, one file at a time (vitest)", "npx", [
      "vitest",
      "run",
      "--no-file-parallelism",
      ...LATENCY_TESTS,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${latencyJson}`,
    ]);
    countJson(latencyJson, "vitest");
  }

  if (only("e2e") && built) {
    const playwrightJson = join(tmpdir(), `candor-playwright-${process.pid}.json`);
    step("browser tests (Playwright, Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], {
      PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
    });
    countJson(playwrightJson, "playwright");
  }
} finally {
  cluster?.stop();
}

if (stepFailed && failed === 0) failed = 1;
if (failures.length > 0) console.log(`\nFailed:\n${failures.map((f) => `  ✗ ${f}`).join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(stepFailed || failed > 0 ? 1 : 0);

/*
 * `npx tsx bench/read-model.ts` — read-model time of `/` and `/history`
 * (lib/public/status-page.ts, no rendering, no cache) on demo data vs a generated
 * 10-year history (10,000 incidents, 100 components, 200,000 status
 * changes), and the same history on the demo's 10 components (history depth
 * and density alone: ~490 changes per component in the 90-day window).
 * On PostgreSQL (a throwaway cluster) and on PGlite (in memory).
 * Figures are medians of RUNS sequential calls after WARMUP calls; the
 * ratios are what matters (this machine is noisy). Steady state reads
 * complete days from the uptime rollup (lib/domain/uptime-rollups.ts); "no rollup"
 * is the first read after every component's rollup was dropped (a
 * backdated change to each), which computes all 90 days and saves them.
 */
import { sql } from "kysely";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { historyPage } from "#lib/public/history.ts";
import { statusPage } from "#lib/public/status-page.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { generateLongHistory } from "./history-data.ts";
import { median } from "./load.ts";

const WARMUP = 5;
const RUNS = 21;
const COLD_RUNS = 9;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  return median(fn, RUNS);
}

async function seconds(fn: () => Promise<unknown>): Promise<string> {
  const t = performance.now();
  await fn();
  return ((performance.now() - t) / 1000).toFixed(1);
}

/** Median time of a read right after every rollup was dropped. */
async function withoutRollup(handle: DbHandle): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    await sql`update uptime_rollups set time_zone = null, first_day = null, covered_until = null, figures = null`.execute(handle.db);
    const t = performance.now();
    await statusPage(handle.db);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(COLD_RUNS / 2)];
}

const ratio = (a: number, b: number) => `${a.toFixed(1)} / ${b.toFixed(1)} (${(b / a).toFixed(2)})`;

interface Databases {
  demo: DbHandle;
  long: DbHandle;
  deep: DbHandle;
}

async function measure(label: string, dbs: Databases, results: Record<string, string>, withHistory: boolean) {
  const home = {
    demo: await timed(() => statusPage(dbs.demo.db)),
    long: await timed(() => statusPage(dbs.long.db)),
    deep: await timed(() => statusPage(dbs.deep.db)),
  };
  results[`${label} / ms demo / 10-year (ratio)`] = ratio(home.demo, home.long);
  if (withHistory) {
    const demo = await timed(() => historyPage(dbs.demo.db, { page: 1 }));
    const long = await timed(() => historyPage(dbs.long.db, { page: 1 }));
    results[`${label} /history ms demo / 10-year (ratio)`] = ratio(demo, long);
  }
  results[`${label} / ms demo / 10-year on 10 components (ratio)`] = ratio(home.demo, home.deep);
  results[`${label} / ms per component demo / 10-year`] = `${(home.demo / 10).toFixed(2)} / ${(home.long / 100).toFixed(2)}`;
  const cold = { demo: await withoutRollup(dbs.demo), long: await withoutRollup(dbs.long), deep: await withoutRollup(dbs.deep) };
  results[`${label} / no rollup ms demo / 10-year (ratio)`] = ratio(cold.demo, cold.long);
  results[`${label} / no rollup ms demo / 10-year on 10 components`] = ratio(cold.demo, cold.deep);
}

const results: Record<string, string> = {};

// PostgreSQL.
const cluster = await startCluster();
try {
  const url = (name: string) => Object.assign(new URL(cluster.url), { pathname: `/${name}` }).toString();
  const admin = await openDatabase({ url: cluster.url });
  for (const name of ["demo", "longhistory", "deephistory"]) await sql`create database ${sql.id(name)}`.execute(admin.db);
  await admin.close();
  const pg: Databases = {
    demo: await openDatabase({ url: url("demo") }),
    long: await openDatabase({ url: url("longhistory") }),
    deep: await openDatabase({ url: url("deephistory") }),
  };
  await seedDemo(pg.demo.db);
  results["pg: generating the 10-year history (s)"] = await seconds(() => generateLongHistory(pg.long.db));
  await generateLongHistory(pg.deep.db, { components: 10 });
  await measure("pg:", pg, results, true);
  for (const handle of Object.values(pg)) await handle.close();
} finally {
  cluster.stop();
}

// PGlite, in memory: the embedded default.
const lite: Databases = {
  demo: await openDatabase({ dataDir: "memory://", url: "" }),
  long: await openDatabase({ dataDir: "memory://", url: "" }),
  deep: await openDatabase({ dataDir: "memory://", url: "" }),
};
await seedDemo(lite.demo.db);
results["pglite: generating the 10-year history (s)"] = await seconds(() => generateLongHistory(lite.long.db));
await generateLongHistory(lite.deep.db, { components: 10 });
await measure("pglite:", lite, results, false);
for (const handle of Object.values(lite)) await handle.close();

for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(56)} ${v}`);

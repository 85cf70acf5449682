/*
 * `npx tsx bench/report.ts` — the reliability report (lib/domain/measures.ts
 * reliabilityDocument: a month beside the month before, whole page and every
 * component's row) and the /uptime read model (lib/public/uptime-page.ts:
 * twelve months of days of the first component), no rendering, no cache, on demo
 * data vs the generated 10-year history (10,000 incidents, 100 components,
 * 200,000 status changes; bench/history-data.ts). Also one year of monthly
 * reports in a row (what a monthly digest or an export of a year costs).
 * On PostgreSQL (a throwaway cluster) and on PGlite (in memory). Then
 * /uptime as the production server answers it (server.ts: the microcache in
 * front of Next's cached render; needs a build in NEXT_DIST_DIR), demo vs
 * 10-year, on PostgreSQL. Figures are medians of RUNS sequential calls after
 * WARMUP calls; the ratios are what matters (this machine is noisy).
 */
import { sql } from "kysely";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { reliabilityDocument } from "#lib/domain/measures.ts";
import { uptimePage } from "#lib/public/uptime-page.ts";
import { seedDemo } from "../scripts/demo-data.ts";
import { startCluster } from "../scripts/pg-cluster.ts";
import { startNextServer } from "../test/support/next-server.ts";
import { generateLongHistory } from "./history-data.ts";
import { median } from "./load.ts";

const WARMUP = 3;
const RUNS = 11;
const month = new Date().toISOString().slice(0, 7);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  return median(fn, RUNS);
}

const ratio = (a: number, b: number) => `${a.toFixed(1)} / ${b.toFixed(1)} (${(b / a).toFixed(2)})`;

async function measure(label: string, demo: DbHandle, long: DbHandle, results: Record<string, string>) {
  const report = (h: DbHandle) => () => reliabilityDocument(h.db, { month });
  results[`${label} report (a month) ms demo / 10-year (ratio)`] = ratio(await timed(report(demo)), await timed(report(long)));
  const year = (h: DbHandle) => async () => {
    for (let m = 1; m <= 12; m++) await reliabilityDocument(h.db, { month: `${Number(month.slice(0, 4)) - 1}-${String(m).padStart(2, "0")}` });
  };
  results[`${label} report, 12 months in a row ms demo / 10-year`] = ratio(await median(year(demo), 3), await median(year(long), 3));
  const uptime = (h: DbHandle) => () => uptimePage(h.db, null);
  results[`${label} /uptime read model ms demo / 10-year (ratio)`] = ratio(await timed(uptime(demo)), await timed(uptime(long)));
}

const results: Record<string, string> = {};

const cluster = await startCluster();
try {
  const url = (name: string) => Object.assign(new URL(cluster.url), { pathname: `/${name}` }).toString();
  const admin = await openDatabase({ url: cluster.url });
  for (const name of ["demo", "longhistory"]) await sql`create database ${sql.id(name)}`.execute(admin.db);
  await admin.close();
  const demo = await openDatabase({ url: url("demo") });
  const long = await openDatabase({ url: url("longhistory") });
  await seedDemo(demo.db);
  await generateLongHistory(long.db);
  await measure("pg:", demo, long, results);
  await demo.close();
  await long.close();
  process.env.NEXT_DIST_DIR ||= ".next";
  const served: number[] = [];
  for (const name of ["demo", "longhistory"]) {
    const server = await startNextServer({ DATABASE_URL: url(name), CANDOR_WORKER: "off" });
    try {
      const get = async () => {
        const response = await fetch(`${server.url}/uptime`);
        if (response.status !== 200) throw new Error(`/uptime answered ${response.status}`);
        await response.arrayBuffer();
      };
      served.push(await timed(get));
      const bytes = (await (await fetch(`${server.url}/uptime`)).arrayBuffer()).byteLength;
      results[`pg: /uptime HTML bytes ${name}`] = String(bytes);
    } finally {
      await server.stop();
    }
  }
  results["pg: /uptime served ms demo / 10-year (ratio)"] = ratio(served[0], served[1]);
} finally {
  cluster.stop();
}

const demo = await openDatabase({ dataDir: "memory://", url: "" });
const long = await openDatabase({ dataDir: "memory://", url: "" });
await seedDemo(demo.db);
await generateLongHistory(long.db);
await measure("pglite:", demo, long, results);
await demo.close();
await long.close();

for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(60)} ${v}`);

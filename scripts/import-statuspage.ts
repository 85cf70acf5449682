/*
 * Moving from Statuspage:
 *   npm run import:statuspage -- --page <page id> --key <api key> [--api https://api.statuspage.io/v1]
 *   npm run import:statuspage -- --url https://status.example.com
 * Add --dry-run to read and count without writing, --json for the report as JSON.
 * Runs against DATABASE_URL, or the embedded database (stop `npm start` first:
 * one process at a time holds it). Safe to run again: what was imported is
 * skipped, what is new is added.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { openDatabase } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { applyStatuspageExport } from "#lib/imports/statuspage/apply.ts";
import { readManagementApi, readPublicApi, SourceError } from "#lib/imports/statuspage/sources.ts";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    page: { type: "string" },
    key: { type: "string" },
    api: { type: "string", default: "https://api.statuspage.io/v1" },
    "pace-ms": { type: "string", default: "1000" },
    "dry-run": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const args = z
  .union([
    z.object({ url: httpUrl, page: z.undefined(), key: z.undefined() }),
    z.object({ url: z.undefined(), page: z.string().regex(/^[a-z0-9]{1,40}$/, "must be a Statuspage page id"), key: z.string().min(8, "must be an API key") }),
  ], { error: "give either --url <public page URL>, or --page <id> and --key <API key>" })
  .safeParse({ url: values.url, page: values.page, key: values.key });
const api = httpUrl.safeParse(values.api);
const paceMs = z.coerce.number().int().min(0).max(60_000).safeParse(values["pace-ms"]);
if (!args.success || !api.success || !paceMs.success) {
  const issue = (args.error ?? api.error ?? paceMs.error)!.issues[0];
  console.error(`${issue.path.length ? `--${issue.path.join(".")} ` : ""}${issue.message}`);
  process.exit(2);
}

const log = (line: string) => values.json || console.error(`[import] ${line}`);
try {
  const exp = args.data.url
    ? await readPublicApi(args.data.url, { log })
    : await readManagementApi({ api: api.data, pageId: args.data.page!, key: args.data.key! }, { paceMs: paceMs.data, log });
  log(`read ${exp.page.name}: ${exp.groups.length} groups, ${exp.components.length} components, ${exp.incidents.length} incidents and maintenance, ${exp.subscribers?.length ?? "no"} subscribers, ${exp.templates?.length ?? "no"} templates`);
  if (values["dry-run"]) {
    if (values.json) console.log(JSON.stringify({ dryRun: true, page: exp.page.name, groups: exp.groups.length, components: exp.components.length, incidents: exp.incidents.length, unseen: exp.unseen }));
    process.exit(0);
  }
  const handle = await openDatabase();
  try {
    const report = await applyStatuspageExport(handle.db, { ...systemActor, name: `import from ${exp.source}` }, exp);
    if (values.json) {
      console.log(JSON.stringify({ ...report, warnings: [...report.warnings] }, null, 2));
    } else {
      const line = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
      console.log(`Imported from ${report.source}: ${line(report.created)}.`);
      console.log(`Already there from an earlier run: ${line(report.skipped)}.`);
      for (const w of report.warnings) console.log(`Note: ${w}`);
      for (const u of report.unseen) console.log(`Not seen: ${u}`);
    }
  } finally {
    await handle.close();
  }
} catch (error) {
  if (!(error instanceof SourceError)) throw error;
  console.error(`[import] ${error.message}`);
  process.exit(1);
}

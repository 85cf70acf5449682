import { z } from "zod";
import type { Db } from "#db/client.ts";
import { AppError, parseInput } from "#lib/core/errors.ts";
import { publicId } from "#lib/core/ids.ts";
import { requireRole, type Actor } from "#lib/domain/actors.ts";
import { applyStatuspageExport, type ImportReport } from "./apply.ts";
import { readManagementApi, readPublicApi, SourceError, type Fetch } from "./sources.ts";

/*
 * The importer from the admin area: an owner starts a run, the answer comes
 * at once, and the run goes on in the background (the caller hands `job` to
 * Next's after()), writing its progress to import_runs for the page to show.
 * One run at a time. A run whose process died stops updating: after
 * STALE_MINUTES it is shown as failed.
 */
const STALE_MINUTES = 10;
const PROGRESS_LINES = 20;

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000);
export const importRunInput = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("public"), url: httpUrl }),
    z.object({
      mode: z.literal("management"),
      pageId: z.string().trim().regex(/^[a-z0-9]{1,40}$/, "must be a Statuspage page id"),
      key: z.string().trim().min(8, "must be a Statuspage API key").max(200),
      api: httpUrl.default("https://api.statuspage.io/v1"),
    }),
  ],
  { error: "must be public or management" },
);

export type ImportRun = Awaited<ReturnType<typeof listImportRuns>>[number];

export async function listImportRuns(db: Db, now: Date = new Date()) {
  const rows = await db.selectFrom("import_runs").selectAll().orderBy("created_at", "desc").limit(10).execute();
  return rows.map((r) => {
    const stale = r.status === "running" && r.updated_at.getTime() < now.getTime() - STALE_MINUTES * 60_000;
    const report = (typeof r.report === "string" ? JSON.parse(r.report) : r.report) as (Omit<ImportReport, "warnings"> & { warnings: string[] }) | null;
    return { ...r, report, status: stale ? ("failed" as const) : r.status, error: stale ? "stopped without finishing (the server restarted?)" : r.error };
  });
}

/**
 * Checks and records the run, refusing a second while one is running; the
 * returned job does the work. `fetch` is where an owner-given URL is
 * reached (the server's SSRF-safe fetch in production).
 */
export async function startImportRun(db: Db, actor: Actor, input: unknown, fetchImpl?: Fetch): Promise<{ id: string; job: () => Promise<void> }> {
  requireRole(actor, "owner");
  const data = parseInput(importRunInput, input);
  const running = (await listImportRuns(db)).find((r) => r.status === "running");
  if (running) throw new AppError("conflict", "an import is already running; wait for it to finish");
  const id = publicId();
  await db
    .insertInto("import_runs")
    .values({ id, source_kind: data.mode, target: data.mode === "public" ? data.url : data.pageId, started_by: actor.name })
    .execute();

  const lines: string[] = [];
  let saving = Promise.resolve();
  const log = (line: string) => {
    lines.push(line);
    const progress = lines.slice(-PROGRESS_LINES).join("\n");
    saving = saving.then(async () => {
      await db.updateTable("import_runs").set({ progress, updated_at: new Date() }).where("id", "=", id).execute();
    });
  };
  const finish = async (values: { status: "done" | "failed"; report?: string; error?: string }) => {
    await saving;
    await db.updateTable("import_runs").set({ ...values, finished_at: new Date(), updated_at: new Date() }).where("id", "=", id).execute();
  };

  const job = async () => {
    try {
      const options = { fetch: fetchImpl, log };
      const exp = data.mode === "public" ? await readPublicApi(data.url, options) : await readManagementApi({ api: data.api, pageId: data.pageId, key: data.key }, options);
      log(`read ${exp.components.length} components, ${exp.incidents.length} incidents and maintenance; importing`);
      const report = await applyStatuspageExport(db, { ...actor, name: `${actor.name} (import from ${exp.source})` }, exp);
      await finish({ status: "done", report: JSON.stringify({ ...report, warnings: [...report.warnings] }) });
    } catch (error) {
      // A source's own words are safe to show; anything else is logged and summarised.
      if (!(error instanceof SourceError)) console.error("[import]", error);
      await finish({ status: "failed", error: error instanceof SourceError || error instanceof AppError ? error.message : "the import failed; see the server log" });
    }
  };
  return { id, job };
}

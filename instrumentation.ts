/* Runs once when a Next server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `next build` runs register() in its workers too; they must never open the database.
  const { duringNextBuild } = await import("#lib/runtime/next-internals.ts");
  if (duringNextBuild()) return;
  const { startProcessWorker } = await import("#lib/delivery/worker.ts");
  startProcessWorker();
  const { startMaintenanceClock } = await import("#lib/domain/maintenance.ts");
  const { db } = await import("#db/client.ts");
  startMaintenanceClock(db);
  const { startRetention } = await import("#lib/runtime/retention.ts");
  startRetention(db);
  const { startReportFollowups } = await import("#lib/delivery/report-followups.ts");
  startReportFollowups(db);
  // The microcache (server.ts) answers made-up ids with one copy by these.
  const { providePublicIds } = await import("#lib/runtime/microcache/public-ids.ts");
  const { publicIds } = await import("#lib/public/status-page.ts");
  providePublicIds(async () => publicIds(await db()));
  // Other processes' public changes; refreshing needs the production server's channel to itself.
  const { isProductionServer } = await import("#lib/runtime/internal-requests.ts");
  const listenUrl = process.env.DATABASE_LISTEN_URL || process.env.DATABASE_URL;
  if (listenUrl && isProductionServer()) {
    const { refreshOnPublicChanges } = await import("#lib/runtime/public-changes.ts");
    refreshOnPublicChanges(listenUrl);
  }
}

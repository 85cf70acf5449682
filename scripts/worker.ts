/*
 * A standalone sending worker (`npm run worker`). Any number may run next to
 * the app and each other: they coordinate through row locks and the shared
 * rate-limit row. SIGTERM/SIGINT hand claimed-but-unsent work back at once.
 */
import { openDatabase } from "#db/client.ts";
import { startReportFollowups } from "#lib/delivery/report-followups.ts";
import { startWorker } from "#lib/delivery/worker.ts";
import { startRetention } from "#lib/runtime/retention.ts";

const handle = await openDatabase();
if (handle.kind === "pglite") {
  console.error("[worker] no DATABASE_URL: a standalone worker needs PostgreSQL (the embedded database belongs to `npm start`, which runs its own worker)");
  await handle.close();
  process.exit(1);
}
const worker = startWorker({ db: handle.db });
startRetention(async () => handle.db);
startReportFollowups(async () => handle.db);
console.error(`[worker] ${process.pid} sending (rate ${process.env.RESEND_RATE_LIMIT ?? 2}/s, ${process.env.RESEND_API_KEY ? "Resend" : "local outbox"})`);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void worker
      .stop()
      .then(() => handle.close())
      .finally(() => process.exit(0));
  });
}
await worker.done;

import { sql } from "kysely";
import { startWorker, type WorkerOptions } from "#lib/delivery/worker.ts";

/** Sends whatever is due until nothing is left. */
export async function drainDeliveries(options: WorkerOptions & { idleMs?: number }): Promise<void> {
  const worker = startWorker({ ...options, pollMs: options.pollMs ?? 50 });
  const idle = options.idleMs ?? 300;
  let quietSince = Date.now();
  while (Date.now() - quietSince < idle) {
    await new Promise((r) => setTimeout(r, 50));
    const { n } = (
      await sql<{ n: number }>`select count(*)::int as n from deliveries where status in ('queued','sending')`.execute(options.db)
    ).rows[0];
    if (n > 0) quietSince = Date.now();
  }
  await worker.stop();
}

/* Runs once when a Next server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startProcessWorker } = await import("./lib/deliveries.ts");
  startProcessWorker();
  const { startMaintenanceClock } = await import("./lib/maintenance.ts");
  const { db } = await import("./db/client.ts");
  startMaintenanceClock(db);
}

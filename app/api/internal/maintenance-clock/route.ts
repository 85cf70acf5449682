import { isInternalRequest } from "../../../../lib/internal-requests.ts";
import { runMaintenanceClock } from "../../../../lib/maintenance.ts";

/* The maintenance clock's run, posted by this server process to itself (lib/internal-requests.ts). */
export async function POST(request: Request) {
  if (!isInternalRequest(request)) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  await runMaintenanceClock();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

import { internalRoute } from "#lib/runtime/internal-requests.ts";
import { runMaintenanceClock } from "#lib/domain/maintenance.ts";

/* The maintenance clock's run, posted by this server process to itself (lib/runtime/internal-requests.ts). */
export const POST = internalRoute(() => runMaintenanceClock());

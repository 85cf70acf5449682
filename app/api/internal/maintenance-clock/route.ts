import { internalRoute } from "../../../../lib/internal-requests.ts";
import { runMaintenanceClock } from "../../../../lib/maintenance.ts";

/* The maintenance clock's run, posted by this server process to itself (lib/internal-requests.ts). */
export const POST = internalRoute(() => runMaintenanceClock());

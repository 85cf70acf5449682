import { settlePublic } from "../../../../lib/cache.ts";
import { internalRoute } from "../../../../lib/internal-requests.ts";

/* A change is settling (lib/public-changes.ts): mark Next's cached pages stale once more. Posted by this process to itself. */
export const POST = internalRoute(settlePublic);

import { settlePublic } from "#lib/runtime/invalidation.ts";
import { internalRoute } from "#lib/runtime/internal-requests.ts";

/* A change is settling (lib/runtime/public-changes.ts): mark Next's cached pages stale once more. Posted by this process to itself. */
export const POST = internalRoute(settlePublic);

import { refreshPublic } from "#lib/runtime/invalidation.ts";
import { internalRoute } from "#lib/runtime/internal-requests.ts";

/* Another process changed public data (lib/runtime/public-changes.ts): refresh this one's caches. Posted by this process to itself. */
export const POST = internalRoute(refreshPublic);

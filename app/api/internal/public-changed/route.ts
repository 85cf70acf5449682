import { refreshPublic } from "../../../../lib/cache.ts";
import { internalRoute } from "../../../../lib/internal-requests.ts";

/* Another process changed public data (lib/public-changes.ts): refresh this one's caches. Posted by this process to itself. */
export const POST = internalRoute(refreshPublic);

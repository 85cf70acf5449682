import { refreshPublic } from "../../../../lib/cache.ts";
import { isInternalRequest } from "../../../../lib/internal-requests.ts";

/* Another process changed public data (lib/public-changes.ts): refresh this one's caches. Posted by this process to itself. */
export async function POST(request: Request) {
  if (!isInternalRequest(request)) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  refreshPublic();
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}

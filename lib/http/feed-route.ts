import { connection, type NextRequest } from "next/server";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { cachedFeedBody } from "#lib/public/cached.ts";
import { feedContentTypes, type FeedFormat } from "#lib/public/feeds.ts";
import { machineNotFound, machineResponse } from "./responses.ts";

/** The GET handler of a history feed route; `?component=<id>` narrows the feed to one component. */
export function feedRoute(format: FeedFormat) {
  return async function GET(request: NextRequest): Promise<Response> {
    // Request time only: `next build` must never read the database.
    await connection();
    const component = request.nextUrl.searchParams.get("component");
    // Malformed ids never reach the cache, so arbitrary query strings cannot fill it.
    const body = component === null || PUBLIC_ID.test(component) ? await cachedFeedBody(format, component) : null;
    if (body === null) return machineNotFound(request, "No such component");
    return machineResponse(request, body, feedContentTypes[format]);
  };
}

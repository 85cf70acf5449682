import { connection, type NextRequest } from "next/server";
import { cachedFeedBody } from "#lib/public/cached.ts";
import { feedContentTypes } from "#lib/public/feeds.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { machineNotFound, machineResponse } from "#lib/http/responses.ts";

/* Incident history as RSS 2.0; `?component=<id>` narrows it to one component. */
export async function GET(request: NextRequest) {
  // Request time only: `next build` must never read the database.
  await connection();
  const component = request.nextUrl.searchParams.get("component");
  // Malformed ids never reach the cache, so arbitrary query strings cannot fill it.
  const body = component === null || PUBLIC_ID.test(component) ? await cachedFeedBody("rss", component) : null;
  if (body === null) return machineNotFound(request, "No such component");
  return machineResponse(request, body, feedContentTypes.rss);
}

export const HEAD = GET;

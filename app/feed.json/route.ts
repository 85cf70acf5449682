import { connection, type NextRequest } from "next/server";
import { cachedFeedBody, feedContentTypes } from "../../lib/feeds.ts";
import { machineNotFound, machineResponse } from "../../lib/responses.ts";

/* Incident history as JSON Feed 1.1; `?component=<id>` narrows it to one component. */
export async function GET(request: NextRequest) {
  // Request time only: `next build` must never read the database.
  await connection();
  const component = request.nextUrl.searchParams.get("component");
  const body = await cachedFeedBody("json", component);
  if (body === null) return machineNotFound(request, "No such component");
  return machineResponse(request, body, feedContentTypes.json);
}

export const HEAD = GET;

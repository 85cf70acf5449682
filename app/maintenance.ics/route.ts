import { connection, type NextRequest } from "next/server";
import { cachedCalendarBody } from "#lib/public/cached.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { machineNotFound, machineResponse } from "#lib/http/responses.ts";

/* Maintenance windows as iCalendar; `?component=<id>` narrows it to one component. */
export async function GET(request: NextRequest) {
  // Request time only: `next build` must never read the database.
  await connection();
  const component = request.nextUrl.searchParams.get("component");
  // Malformed ids never reach the cache, so arbitrary query strings cannot fill it.
  const body = component === null || PUBLIC_ID.test(component) ? await cachedCalendarBody(component) : null;
  if (body === null) return machineNotFound(request, "No such component");
  return machineResponse(request, body, "text/calendar; charset=utf-8", {
    "Content-Disposition": 'inline; filename="maintenance.ics"',
  });
}

export const HEAD = GET;

import { connection, type NextRequest } from "next/server";
import { cachedCalendarBody } from "../../lib/calendar.ts";
import { machineNotFound, machineResponse } from "../../lib/responses.ts";

/* Maintenance windows as iCalendar; `?component=<id>` narrows it to one component. */
export async function GET(request: NextRequest) {
  // Request time only: `next build` must never read the database.
  await connection();
  const body = await cachedCalendarBody(request.nextUrl.searchParams.get("component"));
  if (body === null) return machineNotFound(request, "No such component");
  return machineResponse(request, body, "text/calendar; charset=utf-8", {
    "Content-Disposition": 'inline; filename="maintenance.ics"',
  });
}

export const HEAD = GET;

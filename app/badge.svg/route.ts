import { connection } from "next/server";
import { cachedBadgeBody } from "#lib/public/cached.ts";
import { machineResponse } from "#lib/http/responses.ts";

/* The overall status as a shields-style badge. */
export async function GET(request: Request) {
  // Request time only: `next build` must never read the database.
  await connection();
  const body = (await cachedBadgeBody(null))!;
  return machineResponse(request, body, "image/svg+xml; charset=utf-8");
}

export const HEAD = GET;

import { connection } from "next/server";
import { cachedBadgeBody } from "#lib/public/cached.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { machineNotFound, machineResponse } from "#lib/http/responses.ts";

/* One component's (or group's) status as a shields-style badge. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  // Request time only: `next build` must never read the database.
  await connection();
  const { id } = await params;
  // Malformed ids never reach the cache, so arbitrary URLs cannot fill it.
  const body = PUBLIC_ID.test(id) ? await cachedBadgeBody(id) : null;
  if (body === null) return machineNotFound(request, "No such component");
  return machineResponse(request, body, "image/svg+xml; charset=utf-8");
}

export const HEAD = GET;

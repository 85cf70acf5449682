import { connection } from "next/server";
import { machineNotFound, machineResponse } from "#lib/http/responses.ts";
import { cachedStatuspageBody } from "#lib/public/cached.ts";
import { isStatuspagePath } from "#lib/public/statuspage-v2.ts";

/* The Statuspage-compatible public API: /api/v2/<name>.json, served from the cache. */
export async function GET(request: Request, { params }: { params: Promise<{ path?: string[] }> }) {
  // Request time only: `next build` must never read the database.
  await connection();
  const path = ((await params).path ?? []).filter(Boolean).join("/");
  // Unknown paths never reach the cache, so arbitrary URLs cannot fill it.
  const body = isStatuspagePath(path) ? await cachedStatuspageBody(path) : null;
  if (body === null) return machineNotFound(request, `No such endpoint or incident: /api/v2/${path}`);
  return machineResponse(request, body, "application/json; charset=utf-8");
}

export const HEAD = GET;

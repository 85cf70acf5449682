import { connection } from "next/server";
import { machineResponse } from "#lib/http/responses.ts";
import { cachedWidgetBody } from "#lib/public/cached.ts";

/* What the in-app widget (public/embed.js) polls: open incidents and maintenance in progress (lib/public/widget.ts). */
export async function GET(request: Request) {
  // Request time only: `next build` must never read the database.
  await connection();
  return machineResponse(request, await cachedWidgetBody(), "application/json; charset=utf-8");
}

export const HEAD = GET;

import { connection } from "next/server";
import { embedFramePolicy } from "#lib/http/content-security-policy.ts";
import { machineResponse } from "#lib/http/responses.ts";
import { cachedEmbedFrame } from "#lib/public/cached.ts";
import { EMBED_FRAME_SCRIPT_HASH } from "#lib/public/embed-frame.ts";

const POLICY = embedFramePolicy(EMBED_FRAME_SCRIPT_HASH);

/* The Statuspage-compatible embed's frame (lib/public/embed-frame.ts), framed by public/embed/script.js. */
export async function GET(request: Request) {
  // Request time only: `next build` must never read the database.
  await connection();
  const mobile = new URL(request.url).searchParams.get("mobile") === "true";
  return machineResponse(request, (await cachedEmbedFrame(mobile))!, "text/html; charset=utf-8", { "Content-Security-Policy": POLICY });
}

export const HEAD = GET;

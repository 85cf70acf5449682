import { connection } from "next/server";
import { isLocale } from "#lib/core/locales.ts";
import { embedFramePolicy } from "#lib/http/content-security-policy.ts";
import { machineResponse } from "#lib/http/responses.ts";
import { cachedEmbedFrame } from "#lib/public/cached.ts";
import { EMBED_FRAME_SCRIPT_HASH } from "#lib/public/embed-frame.ts";

const POLICY = embedFramePolicy(EMBED_FRAME_SCRIPT_HASH);

/* The Statuspage-compatible embed's frame (lib/public/embed-frame.ts), framed by public/embed/script.js. */
export async function GET(request: Request) {
  // Request time only: `next build` must never read the database.
  await connection();
  const query = new URL(request.url).searchParams;
  const mobile = query.get("mobile") === "true";
  // Only a known locale is a cache key (lib/runtime/microcache/keys.ts reads it the same way).
  const locale = query.get("locale");
  const body = await cachedEmbedFrame(mobile, isLocale(locale) ? locale : null);
  return machineResponse(request, body!, "text/html; charset=utf-8", { "Content-Security-Policy": POLICY });
}

export const HEAD = GET;

import { connection } from "next/server";
import { cachedFaviconBody } from "#lib/public/cached.ts";

/* A favicon that reflects the overall status. */
export const contentType = "image/svg+xml";

export default async function Icon() {
  // Request time only: `next build` must never read the database.
  await connection();
  return new Response(await cachedFaviconBody(), { headers: { "Content-Type": contentType } });
}

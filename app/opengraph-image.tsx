import { connection } from "next/server";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";
import { cachedSiteImage } from "#lib/public/cached.ts";
import { SOCIAL_IMAGE_SIZE } from "#lib/public/social-images.tsx";

/* The site's Open Graph card: the overall status. */
export const size = SOCIAL_IMAGE_SIZE;
export const contentType = "image/png";
export const alt = "Current overall status";

export default async function Image() {
  // Request time only: `next build` must never read the database.
  await connection();
  const bytes = await cachedSiteImage(DEFAULT_LOCALE);
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(bytes as BodyInit, { headers: { "Content-Type": contentType } });
}

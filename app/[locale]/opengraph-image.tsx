import { connection } from "next/server";
import { isLocale } from "#lib/core/locales.ts";
import { cachedSiteImage } from "#lib/public/cached.ts";
import { SOCIAL_IMAGE_SIZE } from "#lib/public/social-images.tsx";

/* The site's Open Graph card: the overall status, in the page's locale. */
export const size = SOCIAL_IMAGE_SIZE;
export const contentType = "image/png";
export const alt = "Current overall status";

export default async function Image({ params }: { params: Promise<{ locale: string }> }) {
  // Request time only: `next build` must never read the database.
  await connection();
  const { locale } = await params;
  const bytes = isLocale(locale) ? await cachedSiteImage(locale) : null;
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(bytes as BodyInit, { headers: { "Content-Type": contentType } });
}

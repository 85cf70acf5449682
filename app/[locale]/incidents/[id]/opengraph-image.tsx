import { connection } from "next/server";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { isLocale } from "#lib/core/locales.ts";
import { cachedIncidentImage } from "#lib/public/cached.ts";
import { SOCIAL_IMAGE_SIZE } from "#lib/public/social-images.tsx";

/* An incident's Open Graph card: name, impact colour, current status, last update. */
export const size = SOCIAL_IMAGE_SIZE;
export const contentType = "image/png";
export const alt = "Incident status";

export default async function Image({ params }: { params: Promise<{ id: string; locale: string }> }) {
  // Request time only: `next build` must never read the database.
  await connection();
  const { id, locale } = await params;
  // Malformed ids and locales never reach the cache, so arbitrary URLs cannot fill it.
  const bytes = PUBLIC_ID.test(id) && isLocale(locale) ? await cachedIncidentImage(id, locale) : null;
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(bytes as BodyInit, { headers: { "Content-Type": contentType } });
}

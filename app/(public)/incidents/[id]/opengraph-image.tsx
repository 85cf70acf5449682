import { connection } from "next/server";
import { cachedIncidentImage, SOCIAL_IMAGE_SIZE } from "../../../../lib/social-images.tsx";

/* An incident's Open Graph card: name, impact colour, current status, last update. */
export const size = SOCIAL_IMAGE_SIZE;
export const contentType = "image/png";
export const alt = "Incident status";

export default async function Image({ params }: { params: Promise<{ id: string }> }) {
  // Request time only: `next build` must never read the database.
  await connection();
  const bytes = await cachedIncidentImage((await params).id);
  if (!bytes) return new Response("Not found", { status: 404 });
  return new Response(bytes as BodyInit, { headers: { "Content-Type": contentType } });
}

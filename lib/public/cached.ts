import { cacheLife, cacheTag } from "next/cache";
import { z } from "zod";
import { db } from "#db/client.ts";
import { PUBLIC_TAG } from "#lib/runtime/invalidation.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { historyPage, incidentPage, statusPage, type HistoryQuery } from "./status-page.ts";

/*
 * What the public pages call: the read model behind Next's cache, tagged so
 * a domain write refreshes it (lib/runtime/invalidation.ts). The revalidate period bounds
 * staleness when the write happened in another process (a standalone worker,
 * the seed) that cannot reach this process's cache. When the database is
 * down, the last good entry keeps being served.
 *
 * Each result is a public view model (lib/public/status-page.ts picks its fields),
 * because a "use cache" function is also reachable as a server action by its
 * id (proxy.ts refuses such calls; this is the second line). The pages pass
 * only canonical arguments; anything else gets null, a 404.
 */
const publicLife = { stale: 30, revalidate: 60, expire: 31_536_000 };

export async function cachedStatusPage() {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(publicLife);
  return statusPage(await db());
}

export async function cachedIncidentPage(id: string) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(publicLife);
  if (!z.string().regex(PUBLIC_ID).safeParse(id).success) return null;
  return incidentPage(await db(), id);
}

/* What historyQuery produces, exactly. */
const canonicalHistoryQuery = z.strictObject({
  page: z.number().int().min(1).max(10_000),
  component: z.string().regex(PUBLIC_ID).optional(),
});

export async function cachedHistoryPage(query: HistoryQuery) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(publicLife);
  const parsed = canonicalHistoryQuery.safeParse(query);
  return parsed.success ? historyPage(await db(), parsed.data) : null;
}

import { cacheLife, cacheTag } from "next/cache";
import { db } from "../db/client.ts";
import { PUBLIC_TAG } from "./cache.ts";
import { historyPage, incidentPage, statusPage, type HistoryQuery } from "./status-page.ts";

/*
 * What the public pages call: the read model behind Next's cache, tagged so
 * a domain write refreshes it (lib/cache.ts). The revalidate period bounds
 * staleness when the write happened in another process (a standalone worker,
 * the seed) that cannot reach this process's cache. When the database is
 * down, the last good entry keeps being served.
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
  return incidentPage(await db(), id);
}

export async function cachedHistoryPage(query: HistoryQuery) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(publicLife);
  return historyPage(await db(), query);
}

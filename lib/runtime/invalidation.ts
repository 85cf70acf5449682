import { revalidateTag } from "next/cache";
import { markPublicChanged, markPublicSettling } from "./microcache/changes.ts";
import { settleOwnChange } from "./public-changes.ts";

/** Every public page, feed and API response is tagged with this. */
export const PUBLIC_TAG = "public";

/*
 * Called after a domain write commits: the microcache (lib/runtime/microcache/)
 * fetches its pages again, and "max" serves the last good page while it
 * refreshes in the background, so a dead database never turns into 500s
 * (an immediate expiry, or updateTag, makes every request wait for the
 * database, and fail while it is down). Outside a Next server (seed, tests, standalone worker)
 * there is no cache to invalidate here; app instances on PostgreSQL hear of
 * the write from the database (lib/runtime/public-changes.ts), and the cached
 * entries' own revalidate period bounds staleness otherwise.
 */
export function invalidatePublic(): void {
  markPublicChanged();
  try {
    revalidateTag(PUBLIC_TAG, "max");
  } catch {
    // Not inside a Next request or action: nothing to invalidate in this process.
  }
  // A page render already under way would store the page from before this write as fresh (lib/runtime/public-changes.ts).
  settleOwnChange();
}

/**
 * A change is settling (lib/runtime/public-changes.ts): a page render that was under
 * way when it landed stored the page from before it as fresh, so Next's
 * cached pages are marked stale once more, and the microcache refetches its
 * copies soon — without discarding the fetches under way, as a change does.
 */
export function settlePublic(): void {
  markPublicSettling();
  revalidateTag(PUBLIC_TAG, "max");
}

/** Another process changed public data (lib/runtime/public-changes.ts); called inside a request. */
export function refreshPublic(): void {
  markPublicChanged();
  revalidateTag(PUBLIC_TAG, "max");
}

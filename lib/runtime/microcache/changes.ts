/*
 * Public changes as the microcache sees them: how many domain writes this
 * process has committed, and when the latest write or settling step was
 * marked. Copies fetched at an older count may show the page from before the
 * latest write. On globalThis: server.ts and Next's bundle (where
 * lib/runtime/invalidation.ts marks them) each load their own copy of this module.
 */
interface Changes {
  count: number;
  at: number;
}
const CHANGES = Symbol.for("candor.public-changes");

function changes(): Changes {
  const global = globalThis as typeof globalThis & { [CHANGES]?: Changes };
  global[CHANGES] ??= { count: 0, at: 0 };
  return global[CHANGES];
}

/** Called when a domain write commits: copies fetched before it are served only if Next fails. */
export function markPublicChanged(now = Date.now()): void {
  const c = changes();
  c.count++;
  c.at = now;
}

/**
 * A change is settling (lib/runtime/invalidation.ts settlePublic): copies are
 * fetched again as right after a write (older than FRESH_AFTER_WRITE_MS,
 * ./microcache.ts), but stay current, so fetches under way are not thrown
 * away and readers never wait longer than SETTLING_PATIENCE_MS.
 */
export function markPublicSettling(now = Date.now()): void {
  changes().at = now;
}

/** How many changes this process has marked. */
export function changeCount(): number {
  return changes().count;
}

/** When the latest change or settling step was marked. */
export function lastChangeAt(): number {
  return changes().at;
}

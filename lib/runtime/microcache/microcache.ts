import type { IncomingMessage, ServerResponse } from "node:http";
import { changeCount, lastChangeAt } from "./changes.ts";
import { copyOf, writeAnswer, writeCopy, type Copy } from "./copies.ts";
import { microcachePath, UNKNOWN_KEYS } from "./keys.ts";
import { forNext, isRefresh, type Origin, type OriginResponse } from "./origin.ts";
import { KnownIds, registeredPublicIds, type PublicIds } from "./public-ids.ts";

/*
 * The microcache: public pages and machine endpoints answered from memory
 * by server.ts, in front of Next. During an outage everyone opens `/` at once; even a cached hit
 * costs Next about a millisecond of routing and response work, a copy held
 * here a few microseconds. A copy is the last 200 Next gave for the path,
 * fetched through Next itself (so headers, caching and rendering stay Next's):
 *  - fetched again when older than FRESH_MS, and served meanwhile;
 *  - fetched again before answering once a domain write in this process
 *    marked public data changed (lib/runtime/invalidation.ts), and when older than
 *    FRESH_AFTER_WRITE_MS for SETTLE_MS after it: Next applies the write's
 *    revalidateTag when the request that wrote ends, then answers with the
 *    page from before it until its background render is done;
 *  - kept when Next fails or is slower than PATIENCE_MS (database down, its
 *    cache evicted): stale-if-error.
 * Which copy answers a request is ./keys.ts's (checked against what exists
 * by ./public-ids.ts); the least recently read copies make room (MAX_ENTRIES).
 * React Server Component and server action requests go to Next, except for
 * the keys that stand for every unknown path or id. A copy and how it is
 * written: ./copies.ts; where it comes from: ./origin.ts; the changes it
 * follows: ./changes.ts.
 */
export const FRESH_MS = 1000;
export const FRESH_AFTER_WRITE_MS = 100;
const SETTLE_MS = 5000;
/** How old a copy may be and still be served while a newer one is fetched. */
const STALE_MS = 10_000;
/** How long a request waits for Next before it gets the copy there is: after a write, and after a write's settling. */
const PATIENCE_MS = 2000;
const SETTLING_PATIENCE_MS = 300;
const MAX_ENTRIES = 200;

/** What one fetch from Next gives the requests waiting on it. */
interface Fetched {
  /** The copy to serve: new, or the last good one when Next failed. */
  copy: Copy | null;
  /** Whether the copy is the last good one. */
  stale: boolean;
  /** Next's own answer when there is no copy to serve (a 404, an error): passed on, not kept. */
  answer: OriginResponse | null;
}

const TOO_SLOW = Symbol("too slow");

export interface MicrocacheOptions {
  /** Paths no page has (unknownPaths); none by default. */
  unknownPath?: (path: string) => boolean;
  /** What exists; a key with any other id is its unknown key. By default what Next's bundle registered. */
  publicIds?: () => Promise<PublicIds>;
}

export class Microcache {
  readonly #origin: Origin;
  readonly #unknownPath: (path: string) => boolean;
  readonly #knownIds: KnownIds;
  readonly #entries = new Map<string, Copy>();
  readonly #refreshing = new Map<string, Promise<Fetched>>();

  constructor(origin: Origin, options: MicrocacheOptions = {}) {
    this.#origin = origin;
    this.#unknownPath = options.unknownPath ?? (() => false);
    this.#knownIds = new KnownIds(options.publicIds ?? registeredPublicIds, STALE_MS);
  }

  /** Answers the request if it is the microcache's to answer; resolves false, having written nothing, when Next must. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = microcachePath(request, this.#unknownPath);
    if (path === null || isRefresh(request)) return false;
    const key = await this.#knownIds.key(path);
    if (!UNKNOWN_KEYS.has(key) && forNext(request)) return false;
    return this.serve(key, request, response);
  }

  /**
   * Answers the request from the path's copy: a current one at once (fetching
   * a newer one in the background when it is not fresh), otherwise, and
   * right after a write, once Next has answered or PATIENCE_MS has passed. Resolves false, having written
   * nothing, when Next must answer the request itself.
   */
  async serve(path: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const now = Date.now();
    const entry = this.#entries.get(path);
    if (entry && isCurrent(entry, now) && (isFresh(entry, now) || !settling(now))) {
      if (!isFresh(entry, now)) void this.#refresh(path);
      // Most recently read last: the first entry is the one to evict.
      this.#entries.delete(path);
      this.#entries.set(path, entry);
      writeCopy(entry, "hit", request, response);
      return true;
    }
    let fallback = entry;
    // A copy fetched after the latest write is worth waiting for only briefly.
    const patience = entry && isCurrent(entry, now) ? SETTLING_PATIENCE_MS : PATIENCE_MS;
    let fetched = await patiently(this.#refresh(path), fallback, patience);
    // A fetch that began before the latest write may carry the page from before it.
    if (fetched !== TOO_SLOW && fetched.copy && fetched.copy.changeCount !== changeCount()) {
      fallback = fetched.copy;
      fetched = await patiently(this.#refresh(path), fallback, PATIENCE_MS);
    }
    if (fetched === TOO_SLOW) writeCopy(fallback!, "stale", request, response);
    else if (fetched.copy) writeCopy(fetched.copy, fetched.stale ? "stale" : "miss", request, response);
    else if (fetched.answer) writeAnswer(fetched.answer, request, response);
    else return false;
    return true;
  }

  /** One request to Next per path at a time; concurrent readers wait for it. */
  #refresh(path: string): Promise<Fetched> {
    let refreshing = this.#refreshing.get(path);
    if (!refreshing) {
      refreshing = this.#fetch(path).finally(() => this.#refreshing.delete(path));
      this.#refreshing.set(path, refreshing);
    }
    return refreshing;
  }

  async #fetch(path: string): Promise<Fetched> {
    const previous = this.#entries.get(path) ?? null;
    const count = changeCount();
    const fetchedAt = Date.now();
    let answer: OriginResponse;
    try {
      answer = await this.#origin(path);
    } catch {
      return { copy: keep(previous, fetchedAt), stale: true, answer: null };
    }
    if (answer.status >= 500 && previous) return { copy: keep(previous, fetchedAt), stale: true, answer: null };
    // A response that sets a cookie belongs to one client: Next answers each request itself.
    if (answer.headers["set-cookie"] !== undefined) {
      this.#entries.delete(path);
      return { copy: null, stale: false, answer: null };
    }
    // The 404 of an unknown key is the one answer other than a 200 worth a copy: it stands for every unknown path or id.
    if (answer.status !== 200 && !(answer.status === 404 && UNKNOWN_KEYS.has(path))) {
      if (answer.status < 500) this.#entries.delete(path);
      return { copy: null, stale: false, answer };
    }
    const entry = copyOf(answer, previous, count, fetchedAt);
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return { copy: entry, stale: false, answer: null };
  }
}

/** Fetched after the last write, and recently enough to serve while a newer copy is fetched. */
function isCurrent(entry: Copy, now: number): boolean {
  return entry.changeCount === changeCount() && now - entry.fetchedAt < STALE_MS;
}

function isFresh(entry: Copy, now: number): boolean {
  return now - entry.fetchedAt < (settling(now) ? FRESH_AFTER_WRITE_MS : FRESH_MS);
}

/** Shortly after a write, when Next may still be rendering the page that shows it. */
function settling(now: number): boolean {
  return now - lastChangeAt() < SETTLE_MS;
}

/** Waits for Next, but only `patience` ms when there is a copy to fall back on. */
async function patiently(fetching: Promise<Fetched>, fallback: Copy | undefined, patience: number): Promise<Fetched | typeof TOO_SLOW> {
  if (!fallback) return fetching;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TOO_SLOW>((resolve) => (timer = setTimeout(resolve, patience, TOO_SLOW)));
  try {
    return await Promise.race([fetching, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Next failed: serve the last good copy, and ask again only after FRESH_MS. */
function keep(previous: Copy | null, fetchedAt: number): Copy | null {
  if (!previous) return null;
  previous.fetchedAt = fetchedAt;
  previous.changeCount = changeCount();
  return previous;
}

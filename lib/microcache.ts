import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { etagOf, matchesEtag } from "./responses.ts";

/*
 * The microcache: public pages answered from memory by server.ts, in front
 * of Next. During an outage everyone opens `/` at once; even a cached hit
 * costs Next about a millisecond of routing and response work, a copy held
 * here a few microseconds. A copy is the last 200 Next gave for the path,
 * fetched through Next itself (so headers, caching and rendering stay Next's):
 *  - fetched again when older than FRESH_MS, or FRESH_AFTER_WRITE_MS in the
 *    seconds after a write, when Next may still answer with the page from
 *    before it; served while that fetch runs unless older than STALE_MS;
 *  - fetched again at once when a domain write in this process marked public
 *    data changed (lib/cache.ts), so an update shows as fast as without it;
 *  - kept when Next fails (database down, its cache evicted): stale-if-error.
 * Requests with a query string, React Server Component or server action
 * headers always go to Next.
 */
export const FRESH_MS = 1000;
export const FRESH_AFTER_WRITE_MS = 100;
const SETTLE_MS = 5000;
const STALE_MS = 10_000;
const MAX_ENTRIES = 200;
/** Marks the server's own request to Next, so it is not answered from the copy it refreshes. */
export const MICROCACHE_BYPASS = "x-candor-microcache-refresh";

const MICROCACHE_PATH = /^\/(?:|history|incidents\/[a-z0-9]{12})$/;
const NEXT_REQUEST_HEADERS = ["rsc", "next-action", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch"];
// Describe the hop or this one response, not the entity.
const NOT_COPIED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "etag"]);

interface Changes {
  count: number;
  at: number;
}
const CHANGES = Symbol.for("candor.public-changes");

// On globalThis: server.ts and Next's bundle of lib/cache.ts each load their own copy of this module.
function changes(): Changes {
  const global = globalThis as typeof globalThis & { [CHANGES]?: Changes };
  global[CHANGES] ??= { count: 0, at: 0 };
  return global[CHANGES];
}

/** Called when a domain write commits: copies fetched before it are no longer served. */
export function markPublicChanged(now = Date.now()): void {
  const c = changes();
  c.count++;
  c.at = now;
}

export interface OriginResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Fetches a path from Next (server.ts: a loopback request carrying MICROCACHE_BYPASS). */
export type Origin = (path: string) => Promise<OriginResponse>;

type HeaderMap = Record<string, string | string[]>;

interface Copy {
  etag: string;
  body: Buffer;
  gzip: Buffer;
  identityHeaders: HeaderMap;
  gzipHeaders: HeaderMap;
  notModifiedHeaders: HeaderMap;
  changeCount: number;
  fetchedAt: number;
}

/** The path to answer from the microcache, or null when the request must go to Next. */
export function microcachePath(request: IncomingMessage): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const url = request.url ?? "";
  if (!MICROCACHE_PATH.test(url)) return null;
  if (request.headers[MICROCACHE_BYPASS] !== undefined) return null;
  for (const name of NEXT_REQUEST_HEADERS) if (request.headers[name] !== undefined) return null;
  return url;
}

export class Microcache {
  readonly #origin: Origin;
  readonly #entries = new Map<string, Copy>();
  readonly #refreshing = new Map<string, Promise<Copy | null>>();

  constructor(origin: Origin) {
    this.#origin = origin;
  }

  /**
   * Answers the request from the path's copy: a fresh one as it is, a
   * slightly stale one while a new one is fetched in the background, and
   * after a write or a quiet spell only once the new one is in. Resolves false, having written nothing, when there is no
   * copy to serve: the caller hands the request to Next.
   */
  async serve(path: string, request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const now = Date.now();
    let entry = this.#entries.get(path);
    if (!entry || !isCurrent(entry, now)) entry = (await this.#refresh(path)) ?? undefined;
    else if (!isFresh(entry, now)) void this.#refresh(path);
    if (!entry) return false;
    write(entry, request, response);
    return true;
  }

  /** One request to Next per path at a time; concurrent readers wait for it. */
  #refresh(path: string): Promise<Copy | null> {
    let refreshing = this.#refreshing.get(path);
    if (!refreshing) {
      refreshing = this.#fetch(path).finally(() => this.#refreshing.delete(path));
      this.#refreshing.set(path, refreshing);
    }
    return refreshing;
  }

  async #fetch(path: string): Promise<Copy | null> {
    const previous = this.#entries.get(path) ?? null;
    const changeCount = changes().count;
    const fetchedAt = Date.now();
    let answer: OriginResponse;
    try {
      answer = await this.#origin(path);
    } catch {
      return keep(previous, fetchedAt);
    }
    if (answer.status >= 500) return keep(previous, fetchedAt);
    // A 404 (or anything but a plain public 200) is Next's to answer, every time.
    if (answer.status !== 200 || answer.headers["set-cookie"] !== undefined) {
      this.#entries.delete(path);
      return null;
    }
    const entry = copyOf(answer, previous, changeCount, fetchedAt);
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return entry;
  }
}

/** Fetched after the last write, and recently enough to serve while a newer copy is fetched. */
function isCurrent(entry: Copy, now: number): boolean {
  return entry.changeCount === changes().count && now - entry.fetchedAt < STALE_MS;
}

function isFresh(entry: Copy, now: number): boolean {
  return now - entry.fetchedAt < (now - changes().at < SETTLE_MS ? FRESH_AFTER_WRITE_MS : FRESH_MS);
}

/** Next failed: serve the last good copy, and ask again only after FRESH_MS. */
function keep(previous: Copy | null, fetchedAt: number): Copy | null {
  if (!previous) return null;
  previous.fetchedAt = fetchedAt;
  previous.changeCount = changes().count;
  return previous;
}

function copyOf(answer: OriginResponse, previous: Copy | null, changeCount: number, fetchedAt: number): Copy {
  const etag = etagOf(answer.body);
  // Most refreshes return the same bytes: reuse the compressed copy.
  const gzip = previous?.etag === etag ? previous.gzip : gzipSync(answer.body);
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !NOT_COPIED.has(name)) headers[name] = value;
  }
  const vary = String(headers.vary ?? "");
  if (!/accept-encoding/i.test(vary)) headers.vary = vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
  headers.etag = etag;
  headers["x-candor-microcache"] = "hit";
  return {
    etag,
    body: answer.body,
    gzip,
    identityHeaders: { ...headers, "content-length": String(answer.body.length) },
    gzipHeaders: { ...headers, "content-encoding": "gzip", "content-length": String(gzip.length) },
    notModifiedHeaders: headers,
    changeCount,
    fetchedAt,
  };
}

function write(entry: Copy, request: IncomingMessage, response: ServerResponse): void {
  if (matchesEtag(request.headers["if-none-match"] ?? null, entry.etag)) {
    response.writeHead(304, entry.notModifiedHeaders);
    response.end();
    return;
  }
  const gzip = acceptsGzip(request.headers["accept-encoding"]);
  response.writeHead(200, gzip ? entry.gzipHeaders : entry.identityHeaders);
  response.end(request.method === "HEAD" ? undefined : gzip ? entry.gzip : entry.body);
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

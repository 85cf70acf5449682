import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { etagOf, matchesEtag } from "./responses.ts";

/*
 * The microcache: public pages and machine endpoints answered from memory
 * by server.ts, in front of Next. During an outage everyone opens `/` at once; even a cached hit
 * costs Next about a millisecond of routing and response work, a copy held
 * here a few microseconds. A copy is the last 200 Next gave for the path,
 * fetched through Next itself (so headers, caching and rendering stay Next's):
 *  - fetched again when older than FRESH_MS, and served meanwhile;
 *  - fetched again before answering once a domain write in this process
 *    marked public data changed (lib/cache.ts), and when older than
 *    FRESH_AFTER_WRITE_MS for SETTLE_MS after it: Next applies the write's
 *    revalidateTag when the request that wrote ends, then answers with the
 *    page from before it until its background render is done;
 *  - kept when Next fails or is slower than PATIENCE_MS (database down, its
 *    cache evicted): stale-if-error.
 * Requests with a query string, React Server Component or server action
 * headers always go to Next.
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
/** Marks the server's own request to Next, so it is not answered from the copy it refreshes. */
export const MICROCACHE_BYPASS = "x-candor-microcache-refresh";

// The pages, and what widgets and feed readers poll: /api/v2 (lib/statuspage.ts), feeds, calendar, badge.
const MICROCACHE_PATH = new RegExp(
  "^/(?:|history|incidents/[a-z0-9]{12}" +
    "|api/v2/(?:status|summary|components|incidents(?:/unresolved|/[a-z0-9]{12})?|scheduled-maintenances(?:/upcoming|/active)?)\\.json" +
    "|history\\.(?:rss|atom)|feed\\.json|maintenance\\.ics|badge\\.svg)$",
);
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

/** Called when a domain write commits: copies fetched before it are served only if Next fails. */
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
  body: Buffer;
  gzip: Buffer;
  identityHeaders: HeaderMap;
  gzipHeaders: HeaderMap;
  /** One ETag per content coding: they are different representations (RFC 9110 §8.8.3). */
  etags: { identity: string; gzip: string };
  changeCount: number;
  fetchedAt: number;
}

/** What one fetch from Next gives the requests waiting on it. */
interface Fetched {
  /** The copy to serve: new, or the last good one when Next failed. */
  copy: Copy | null;
  /** Next's own answer when there is no copy to serve (a 404, an error): passed on, not kept. */
  answer: OriginResponse | null;
}

const TOO_SLOW = Symbol("too slow");

/** The path to answer from the microcache, or null when the request must go to Next. */
export function microcachePath(request: IncomingMessage): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  // `//api/v2/…` comes from widgets given the page's URL with a trailing slash: Next's 308 carries no CORS header.
  const raw = request.url ?? "";
  const url = /^\/{2,}api\/v2\//.test(raw) ? raw.replace(/^\/{2,}/, "/") : raw;
  if (!MICROCACHE_PATH.test(url)) return null;
  if (request.headers[MICROCACHE_BYPASS] !== undefined) return null;
  for (const name of NEXT_REQUEST_HEADERS) if (request.headers[name] !== undefined) return null;
  return url;
}

export class Microcache {
  readonly #origin: Origin;
  readonly #entries = new Map<string, Copy>();
  readonly #refreshing = new Map<string, Promise<Fetched>>();

  constructor(origin: Origin) {
    this.#origin = origin;
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
      write(entry, request, response);
      return true;
    }
    let fallback = entry;
    // A copy fetched after the latest write is worth waiting for only briefly.
    const patience = entry && isCurrent(entry, now) ? SETTLING_PATIENCE_MS : PATIENCE_MS;
    let fetched = await patiently(this.#refresh(path), fallback, patience);
    // A fetch that began before the latest write may carry the page from before it.
    if (fetched !== TOO_SLOW && fetched.copy && fetched.copy.changeCount !== changes().count) {
      fallback = fetched.copy;
      fetched = await patiently(this.#refresh(path), fallback, PATIENCE_MS);
    }
    if (fetched === TOO_SLOW) write(fallback!, request, response);
    else if (fetched.copy) write(fetched.copy, request, response);
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
    const changeCount = changes().count;
    const fetchedAt = Date.now();
    let answer: OriginResponse;
    try {
      answer = await this.#origin(path);
    } catch {
      return { copy: keep(previous, fetchedAt), answer: null };
    }
    if (answer.status >= 500 && previous) return { copy: keep(previous, fetchedAt), answer: null };
    // A response that sets a cookie belongs to one client: Next answers each request itself.
    if (answer.headers["set-cookie"] !== undefined) {
      this.#entries.delete(path);
      return { copy: null, answer: null };
    }
    if (answer.status !== 200) {
      if (answer.status < 500) this.#entries.delete(path);
      return { copy: null, answer };
    }
    const entry = copyOf(answer, previous, changeCount, fetchedAt);
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return { copy: entry, answer: null };
  }
}

/** Fetched after the last write, and recently enough to serve while a newer copy is fetched. */
function isCurrent(entry: Copy, now: number): boolean {
  return entry.changeCount === changes().count && now - entry.fetchedAt < STALE_MS;
}

function isFresh(entry: Copy, now: number): boolean {
  return now - entry.fetchedAt < (settling(now) ? FRESH_AFTER_WRITE_MS : FRESH_MS);
}

/** Shortly after a write, when Next may still be rendering the page that shows it. */
function settling(now: number): boolean {
  return now - changes().at < SETTLE_MS;
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
  previous.changeCount = changes().count;
  return previous;
}

function copiedHeaders(answer: OriginResponse): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !NOT_COPIED.has(name)) headers[name] = value;
  }
  return headers;
}

function copyOf(answer: OriginResponse, previous: Copy | null, changeCount: number, fetchedAt: number): Copy {
  const etag = etagOf(answer.body);
  const etags = { identity: etag, gzip: `${etag.slice(0, -1)}-gz"` };
  // Most refreshes return the same bytes: reuse the compressed copy.
  const gzip = previous?.etags.identity === etag ? previous.gzip : gzipSync(answer.body);
  const headers = copiedHeaders(answer);
  const vary = String(headers.vary ?? "");
  if (!/accept-encoding/i.test(vary)) headers.vary = vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
  headers["x-candor-microcache"] = "hit";
  return {
    body: answer.body,
    gzip,
    identityHeaders: { ...headers, etag: etags.identity, "content-length": String(answer.body.length) },
    gzipHeaders: { ...headers, etag: etags.gzip, "content-encoding": "gzip", "content-length": String(gzip.length) },
    etags,
    changeCount,
    fetchedAt,
  };
}

function write(copy: Copy, request: IncomingMessage, response: ServerResponse): void {
  const gzip = acceptsGzip(request.headers["accept-encoding"]);
  const headers = gzip ? copy.gzipHeaders : copy.identityHeaders;
  if (matchesEtag(request.headers["if-none-match"] ?? null, gzip ? copy.etags.gzip : copy.etags.identity)) {
    const { "content-length": _length, "content-encoding": _coding, ...notModified } = headers;
    response.writeHead(304, notModified);
    response.end();
    return;
  }
  response.writeHead(200, headers);
  response.end(request.method === "HEAD" ? undefined : gzip ? copy.gzip : copy.body);
}

function writeAnswer(answer: OriginResponse, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(answer.status, { ...copiedHeaders(answer), "content-length": String(answer.body.length) });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}

/** Whether the client takes gzip: named with q > 0, or not named and `*` with q > 0. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [coding, ...params] = part.trim().split(";");
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(coding.trim(), weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  return (q.get("gzip") ?? q.get("*") ?? 0) > 0;
}

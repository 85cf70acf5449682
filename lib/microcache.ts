import { randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { PUBLIC_ID } from "./ids.ts";
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
 * A copy's key is the path and the query parameters its page reads, validated
 * (microcachePath): any other query string is the same copy, so made-up query
 * strings neither reach Next nor add copies, and the least recently read
 * copies make room (MAX_ENTRIES). Made-up paths and incident ids all get one
 * copy of Next's not-found page: Next renders each unknown path under the
 * catch-all of `/` and writes it into its route cache on disk.
 * React Server Component and server action requests go to Next, except for
 * unknown paths.
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
/**
 * Marks the server's own request to Next, so it is not answered from the copy
 * it refreshes. It carries a secret of this process (refreshHeaders): anyone
 * else sending it is answered from the copies like everyone.
 */
const MICROCACHE_BYPASS = "x-candor-microcache-refresh";
const REFRESH_SECRET = Buffer.from(randomBytes(32).toString("base64url"));
/** Where the one copy of the not-found page comes from: Next's own, prerendered at build. */
export const NOT_FOUND_PATH = "/_not-found";
const INCIDENT_PAGE = /^\/incidents\/([^/]+)$/;
const FEED_PATH = /^\/(?:history\.(?:rss|atom)|feed\.json|maintenance\.ics)$/;

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
  status: number;
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

/** The headers of the server's own request to Next for a copy. */
export function refreshHeaders(): Record<string, string> {
  return { [MICROCACHE_BYPASS]: REFRESH_SECRET.toString() };
}

function isRefresh(request: IncomingMessage): boolean {
  const given = request.headers[MICROCACHE_BYPASS];
  if (typeof given !== "string") return false;
  const bytes = Buffer.from(given);
  return bytes.length === REFRESH_SECRET.length && timingSafeEqual(bytes, REFRESH_SECRET);
}

/**
 * The key of the copy that answers a GET or HEAD — NOT_FOUND_PATH for a path
 * `unknownPath` says no page has, or an incident page's malformed id — or
 * null when Next must answer. The key is also what Next is asked for.
 */
export function microcachePath(request: IncomingMessage, unknownPath: (path: string) => boolean = () => false): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  // `//api/v2/…` comes from widgets given the page's URL with a trailing slash: Next's 308 carries no CORS header.
  const raw = request.url ?? "";
  const url = /^\/{2,}api\/v2\//.test(raw) ? raw.replace(/^\/{2,}/, "/") : raw;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!MICROCACHE_PATH.test(path)) {
    const incident = INCIDENT_PAGE.exec(path);
    return (incident && !PUBLIC_ID.test(incident[1])) || unknownPath(path) ? NOT_FOUND_PATH : null;
  }
  return queryAt === -1 ? path : path + canonicalQuery(path, url.slice(queryAt + 1));
}

/*
 * The query parameters each path reads, in one order, as its page or route
 * validates them: `/history` page and component (lib/status-page.ts
 * historyQuery: a bad page is page 1, a bad component none), a feed's
 * component (a malformed one is Next's 404 for `-`). Every other path reads none.
 */
function canonicalQuery(path: string, search: string): string {
  if (path !== "/history" && !FEED_PATH.test(path)) return "";
  const query = new URLSearchParams(search);
  const canonical = new URLSearchParams();
  const component = query.get("component");
  if (path === "/history") {
    const page = Number(query.get("page") ?? 1);
    if (Number.isInteger(page) && page > 1 && page <= 10_000) canonical.set("page", String(page));
    if (component !== null && PUBLIC_ID.test(component)) canonical.set("component", component);
  } else if (FEED_PATH.test(path) && component !== null) {
    canonical.set("component", PUBLIC_ID.test(component) ? component : "-");
  }
  const canonicalSearch = canonical.toString();
  return canonicalSearch ? `?${canonicalSearch}` : "";
}

/** Requests Next answers itself: the server's own, client navigation (RSC) and server actions. */
function forNext(request: IncomingMessage): boolean {
  return isRefresh(request) || NEXT_REQUEST_HEADERS.some((name) => request.headers[name] !== undefined);
}

/**
 * Which paths no route but the catch-all of `/` (app/(public)/[[...slug]])
 * takes, from the build's routes manifest, as Next matches them: files of
 * `public/` and `/_next/static/` first, then static routes, then dynamic
 * ones in the manifest's order. Whatever it cannot be sure of (a trailing
 * slash Next redirects, an encoding) is left to Next.
 */
export function unknownPaths(distDir: string, publicDir: string): (path: string) => boolean {
  const manifest = JSON.parse(readFileSync(join(distDir, "routes-manifest.json"), "utf8")) as {
    staticRoutes: { page: string; regex: string }[];
    dynamicRoutes: { page: string; regex: string }[];
  };
  const routes = [...manifest.staticRoutes, ...manifest.dynamicRoutes].map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  const files = new Set<string>();
  const list = (dir: string, prefix: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) files.add(`${prefix}${join(entry.parentPath, entry.name).slice(dir.length)}`);
    }
  };
  list(publicDir, "");
  list(join(distDir, "static"), "/_next/static");
  return (path) => {
    if (path === "/" || path.endsWith("/") || path.includes("//") || path.includes("%") || files.has(path)) return false;
    if (path === "/_next/image") return false;
    return routes.find((route) => route.regex.test(path))?.page === "/[[...slug]]";
  };
}

/** Where the microcache learns which incidents exist: registered in Next's bundle (instrumentation.ts), which reads the database. */
const INCIDENT_IDS = Symbol.for("candor.incident-ids");
type IncidentIds = () => Promise<Iterable<string>>;

/** Called in Next's bundle, which can read the database: how the microcache tells a made-up incident id. */
export function provideIncidentIds(source: IncidentIds): void {
  (globalThis as { [INCIDENT_IDS]?: IncidentIds })[INCIDENT_IDS] = source;
}

function registeredIncidentIds(): Promise<Iterable<string>> {
  const source = (globalThis as { [INCIDENT_IDS]?: IncidentIds })[INCIDENT_IDS];
  return source ? source() : Promise.reject(new Error("no incident ids registered"));
}

interface KnownIds {
  /** Null when they could not be loaded. */
  ids: Set<string> | null;
  changeCount: number;
  loadedAt: number;
}

export interface MicrocacheOptions {
  /** Paths no page has (unknownPaths); none by default. */
  unknownPath?: (path: string) => boolean;
  /** Every incident id; a page for any other id is the not-found page. By default what Next's bundle registered. */
  incidentIds?: () => Promise<Iterable<string>>;
}

export class Microcache {
  readonly #origin: Origin;
  readonly #unknownPath: (path: string) => boolean;
  readonly #incidentIds: () => Promise<Iterable<string>>;
  readonly #entries = new Map<string, Copy>();
  readonly #refreshing = new Map<string, Promise<Fetched>>();
  #knownIds: KnownIds | null = null;
  #loadingIds: Promise<KnownIds> | null = null;

  constructor(origin: Origin, options: MicrocacheOptions = {}) {
    this.#origin = origin;
    this.#unknownPath = options.unknownPath ?? (() => false);
    this.#incidentIds = options.incidentIds ?? registeredIncidentIds;
  }

  /** Answers the request if it is the microcache's to answer; resolves false, having written nothing, when Next must. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    let key = microcachePath(request, this.#unknownPath);
    if (key === null || isRefresh(request)) return false;
    const incident = INCIDENT_PAGE.exec(key);
    if (incident && !(await this.#incidentExists(incident[1]))) key = NOT_FOUND_PATH;
    if (key !== NOT_FOUND_PATH && forNext(request)) return false;
    return this.serve(key, request, response);
  }

  /**
   * Whether an incident id is known: from the ids loaded after the latest
   * write, loaded again at most every STALE_MS for an id not among them.
   * True when they cannot be loaded: Next decides.
   */
  async #incidentExists(id: string): Promise<boolean> {
    let known = this.#knownIds;
    if (!known || known.changeCount !== changes().count || (!known.ids?.has(id) && Date.now() - known.loadedAt >= STALE_MS)) {
      this.#loadingIds ??= this.#loadIds().finally(() => (this.#loadingIds = null));
      known = await this.#loadingIds;
    }
    return !known.ids || known.ids.has(id);
  }

  async #loadIds(): Promise<KnownIds> {
    const changeCount = changes().count;
    let ids: Set<string> | null;
    try {
      ids = new Set(await this.#incidentIds());
    } catch {
      // Keep what there is (stale-if-error), and ask again only after STALE_MS.
      ids = this.#knownIds?.ids ?? null;
    }
    this.#knownIds = { ids, changeCount, loadedAt: Date.now() };
    return this.#knownIds;
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
    // The not-found page is the one answer other than a 200 worth a copy: it stands for every unknown path.
    if (answer.status !== 200 && !(answer.status === 404 && path === NOT_FOUND_PATH)) {
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
    status: answer.status,
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
  if (copy.status === 200 && matchesEtag(request.headers["if-none-match"] ?? null, gzip ? copy.etags.gzip : copy.etags.identity)) {
    const { "content-length": _length, "content-encoding": _coding, ...notModified } = headers;
    response.writeHead(304, notModified);
    response.end();
    return;
  }
  response.writeHead(copy.status, headers);
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

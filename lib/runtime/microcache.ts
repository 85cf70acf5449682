import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { forwardedHttps } from "#lib/http/client-ip.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { matchesSecret } from "./internal-requests.ts";
import { etagOf, matchesEtag } from "#lib/http/responses.ts";

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
 * A copy's key is the path and the query parameters its page reads, validated
 * (microcachePath) and checked against what exists (publicIds): any other
 * query string is the same copy, so made-up query strings and ids neither
 * reach Next nor add copies, and the least recently read copies make room
 * (MAX_ENTRIES). Made-up paths, percent-encoded or not, and incident ids all
 * get one copy of Next's not-found page: Next renders each unknown path under
 * the catch-all of `/` and writes it into its route cache on disk. A made-up
 * component on /history is no filter, as the page reads it; every history
 * page past the last is the first empty one; a made-up incident's JSON, a
 * made-up component's feed or badge is one copy of Next's 404 for the id `-`.
 * React Server Component and server action requests go to Next, except for
 * those unknown keys.
 * Each answer says how it was made (x-candor-microcache): `hit` from a copy
 * already there, `miss` after waiting for Next, `stale` the copy there was
 * because Next failed or was slow. Copies are fetched over plain http, so
 * they carry HSTS only if Next gives it to everyone (PUBLIC_URL https at
 * build time); a reader a trusted proxy says came over https gets it added.
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
const REFRESH_SECRET = randomBytes(32).toString("base64url");
const ANSWERED = "x-candor-microcache";
type Answered = "hit" | "miss" | "stale";
/** next.config.mjs's Strict-Transport-Security (test/integration/security-headers.test.ts holds them equal). */
const HSTS = "max-age=31536000";
/** Where the one copy of the not-found page comes from: Next's own, prerendered at build. */
export const NOT_FOUND_PATH = "/_not-found";
/** The id in the keys that stand for every unknown one. */
const UNKNOWN = "-";
const FEEDS = ["/history.rss", "/history.atom", "/feed.json", "/maintenance.ics"];
const FEED_PATH = /^\/(?:history\.(?:rss|atom)|feed\.json|maintenance\.ics)$/;
const FEED_KEY = /^(\/[^?]+)\?component=([a-z0-9]{12})$/;
const INCIDENT_PAGE = /^\/incidents\/([^/]+)$/;
const INCIDENT_JSON = /^\/api\/v2\/incidents\/([^/]+)\.json$/;
const BADGE = /^\/components\/([^/]+)\/badge\.svg$/;
/** The keys Next answers with a 404 that stands for every unknown path or id: kept like a page. */
const UNKNOWN_KEYS = new Set([
  NOT_FOUND_PATH,
  `/api/v2/incidents/${UNKNOWN}.json`,
  `/components/${UNKNOWN}/badge.svg`,
  ...FEEDS.map((feed) => `${feed}?component=${UNKNOWN}`),
]);

// The pages, and what widgets and feed readers poll: feeds, calendar, badge; /api/v2 (lib/public/statuspage-v2.ts) below.
const STATIC_PATH = /^\/(?:|history|history\.(?:rss|atom)|feed\.json|maintenance\.ics|badge\.svg)$/;
const API_V2 = /^\/api\/v2\/(.+)$/;
const API_V2_NAME = /^(?:status|summary|components|incidents(?:\/unresolved)?|scheduled-maintenances(?:\/upcoming|\/active)?)\.json$/;
const NEXT_REQUEST_HEADERS = ["rsc", "next-action", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch"];
// Describe the hop or this one response, not the entity.
const NOT_COPIED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "etag"]);

interface Changes {
  count: number;
  at: number;
}
const CHANGES = Symbol.for("candor.public-changes");

// On globalThis: server.ts and Next's bundle of lib/runtime/invalidation.ts each load their own copy of this module.
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
 * A change is settling (lib/runtime/invalidation.ts settlePublic): copies are fetched again
 * as right after a write (older than FRESH_AFTER_WRITE_MS), but stay current,
 * so fetches under way are not thrown away and readers never wait longer
 * than SETTLING_PATIENCE_MS.
 */
export function markPublicSettling(now = Date.now()): void {
  changes().at = now;
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
  /** Whether the copy is the last good one. */
  stale: boolean;
  /** Next's own answer when there is no copy to serve (a 404, an error): passed on, not kept. */
  answer: OriginResponse | null;
}

const TOO_SLOW = Symbol("too slow");

/** The headers of the server's own request to Next for a copy. */
export function refreshHeaders(): Record<string, string> {
  return { [MICROCACHE_BYPASS]: REFRESH_SECRET };
}

function isRefresh(request: IncomingMessage): boolean {
  return matchesSecret(request.headers[MICROCACHE_BYPASS], REFRESH_SECRET);
}

/**
 * The key of the copy that answers a GET or HEAD — NOT_FOUND_PATH for a path
 * `unknownPath` says no page has, or an incident page's malformed id; the
 * `-` key for a malformed id in a machine path — or null when Next must
 * answer. The key is also what Next is asked for. Ids are not checked
 * against what exists here (Microcache.handle does).
 */
export function microcachePath(request: IncomingMessage, unknownPath: (path: string) => boolean = () => false): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  // `//api/v2/…` comes from widgets given the page's URL with a trailing slash: Next's 308 carries no CORS header.
  const raw = request.url ?? "";
  const url = /^\/{2,}api\/v2\//.test(raw) ? raw.replace(/^\/{2,}/, "/") : raw;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const key = pathKey(path);
  if (key === null) return unknownPath(path) ? NOT_FOUND_PATH : null;
  return queryAt === -1 ? key : key + canonicalQuery(key, url.slice(queryAt + 1));
}

/*
 * The key of a path the microcache answers, without the query. Next matches
 * routes by the path as sent (`/%68istory` is no page) and decodes the ids
 * in it (`/incidents/%61…` is incident `a…`): so does this.
 */
function pathKey(path: string): string | null {
  if (STATIC_PATH.test(path)) return path;
  const api = API_V2.exec(path);
  if (api) {
    const name = decoded(api[1]);
    if (name === null) return null;
    if (API_V2_NAME.test(name)) return `/api/v2/${name}`;
    const incident = /^incidents\/([^/]+)\.json$/.exec(name);
    return incident ? `/api/v2/incidents/${idOrUnknown(incident[1])}.json` : null;
  }
  const incident = INCIDENT_PAGE.exec(path);
  if (incident) {
    const id = decoded(incident[1]);
    return id !== null && PUBLIC_ID.test(id) ? `/incidents/${id}` : NOT_FOUND_PATH;
  }
  const badge = BADGE.exec(path);
  return badge ? `/components/${idOrUnknown(badge[1])}/badge.svg` : null;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** A well-formed id, decoded; UNKNOWN for anything else. */
function idOrUnknown(encoded: string): string {
  const id = decoded(encoded);
  return id !== null && PUBLIC_ID.test(id) ? id : UNKNOWN;
}

/*
 * The query parameters each path reads, in one order, as its page or route
 * validates them: `/history` page and component (lib/public/status-page.ts
 * historyQuery: a bad page is page 1, a bad component none), a feed's
 * component (a malformed one is Next's 404 for `-`). Every other path reads none.
 */
function canonicalQuery(path: string, search: string): string {
  if (path !== "/history" && !FEED_PATH.test(path)) return "";
  const query = new URLSearchParams(search);
  const component = query.get("component");
  if (path === "/history") {
    const page = Number(query.get("page") ?? 1);
    return historySearch(Number.isInteger(page) && page <= 10_000 ? page : 1, component !== null && PUBLIC_ID.test(component) ? component : null);
  }
  return component === null ? "" : `?component=${PUBLIC_ID.test(component) ? component : UNKNOWN}`;
}

function historySearch(page: number, component: string | null): string {
  const query = new URLSearchParams();
  if (page > 1) query.set("page", String(page));
  if (component !== null) query.set("component", component);
  const search = query.toString();
  return search ? `?${search}` : "";
}

/** Requests Next answers itself: the server's own, client navigation (RSC) and server actions. */
function forNext(request: IncomingMessage): boolean {
  return isRefresh(request) || NEXT_REQUEST_HEADERS.some((name) => request.headers[name] !== undefined);
}

/**
 * Which paths no route but the catch-all of `/` (app/(public)/[[...slug]])
 * takes, from the build's routes manifest, as Next matches them: files of
 * `public/` and `/_next/static/` first (by the decoded path, as Next looks
 * them up), then static routes, then dynamic ones in the manifest's order
 * (by the path as sent, as Next matches them). Whatever it cannot be sure of
 * (a trailing slash Next redirects, a malformed encoding) is left to Next.
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
    if (path === "/" || path.endsWith("/") || path.includes("//") || path === "/_next/image") return false;
    const file = decoded(path);
    if (file === null || files.has(file)) return false;
    return routes.find((route) => route.regex.test(path))?.page === "/[[...slug]]";
  };
}

/** What exists, for the keys that carry an id or a page number (lib/public/status-page.ts publicIds). */
export interface PublicIds {
  incidents: Iterable<string>;
  /** Live components: /history's filter, and the feeds' and calendar's. */
  components: Iterable<string>;
  /** Live groups: a badge is a component's or a group's. */
  groups: Iterable<string>;
  /** How many pages /history has at most. */
  historyPages: number;
}

/** Where the microcache learns what exists: registered in Next's bundle (instrumentation.ts), which reads the database. */
const PUBLIC_IDS = Symbol.for("candor.public-ids");
type PublicIdsSource = () => Promise<PublicIds>;

/** Called in Next's bundle, which can read the database: how the microcache tells made-up ids. */
export function providePublicIds(source: PublicIdsSource): void {
  (globalThis as { [PUBLIC_IDS]?: PublicIdsSource })[PUBLIC_IDS] = source;
}

function registeredPublicIds(): Promise<PublicIds> {
  const source = (globalThis as { [PUBLIC_IDS]?: PublicIdsSource })[PUBLIC_IDS];
  return source ? source() : Promise.reject(new Error("no public ids registered"));
}

interface Known {
  incidents: Set<string>;
  components: Set<string>;
  /** Components and groups. */
  badges: Set<string>;
  historyPages: number;
}

interface KnownIds {
  /** Null when they could not be loaded. */
  ids: Known | null;
  changeCount: number;
  loadedAt: number;
}

export interface MicrocacheOptions {
  /** Paths no page has (unknownPaths); none by default. */
  unknownPath?: (path: string) => boolean;
  /** What exists; a key with any other id is its unknown key. By default what Next's bundle registered. */
  publicIds?: () => Promise<PublicIds>;
}

export class Microcache {
  readonly #origin: Origin;
  readonly #unknownPath: (path: string) => boolean;
  readonly #publicIds: () => Promise<PublicIds>;
  readonly #entries = new Map<string, Copy>();
  readonly #refreshing = new Map<string, Promise<Fetched>>();
  #knownIds: KnownIds | null = null;
  #loadingIds: Promise<KnownIds> | null = null;

  constructor(origin: Origin, options: MicrocacheOptions = {}) {
    this.#origin = origin;
    this.#unknownPath = options.unknownPath ?? (() => false);
    this.#publicIds = options.publicIds ?? registeredPublicIds;
  }

  /** Answers the request if it is the microcache's to answer; resolves false, having written nothing, when Next must. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = microcachePath(request, this.#unknownPath);
    if (path === null || isRefresh(request)) return false;
    const key = await this.#known(path);
    if (!UNKNOWN_KEYS.has(key) && forNext(request)) return false;
    return this.serve(key, request, response);
  }

  /**
   * The key with its ids checked against what exists: an unknown incident's
   * page is the not-found page; its JSON, and an unknown component's badge
   * or feed, the `-` key; on /history an unknown component is no filter and
   * a page past the last is the first empty one, as Next renders them.
   * The key as it is when what exists cannot be loaded: Next decides.
   */
  async #known(key: string): Promise<string> {
    const incident = INCIDENT_PAGE.exec(key) ?? INCIDENT_JSON.exec(key);
    if (incident && PUBLIC_ID.test(incident[1])) {
      const ids = await this.#ids((known) => known.incidents.has(incident[1]));
      if (!ids || ids.incidents.has(incident[1])) return key;
      return key.startsWith("/api/") ? `/api/v2/incidents/${UNKNOWN}.json` : NOT_FOUND_PATH;
    }
    const badge = BADGE.exec(key);
    if (badge && PUBLIC_ID.test(badge[1])) {
      const ids = await this.#ids((known) => known.badges.has(badge[1]));
      return !ids || ids.badges.has(badge[1]) ? key : `/components/${UNKNOWN}/badge.svg`;
    }
    if (key.startsWith("/history?")) {
      const query = new URLSearchParams(key.slice("/history?".length));
      const page = Number(query.get("page") ?? 1);
      const component = query.get("component");
      const ids = await this.#ids((known) => page <= known.historyPages + 1 && (component === null || known.components.has(component)));
      if (!ids) return key;
      return `/history${historySearch(Math.min(page, ids.historyPages + 1), component !== null && ids.components.has(component) ? component : null)}`;
    }
    const feed = FEED_KEY.exec(key);
    if (feed) {
      const ids = await this.#ids((known) => known.components.has(feed[2]));
      return !ids || ids.components.has(feed[2]) ? key : `${feed[1]}?component=${UNKNOWN}`;
    }
    return key;
  }

  /**
   * What exists: loaded after the latest write, and loaded again at most
   * every STALE_MS while a key is not among it. Null when it cannot be loaded.
   */
  async #ids(has: (known: Known) => boolean): Promise<Known | null> {
    let known = this.#knownIds;
    if (!known || known.changeCount !== changes().count || ((!known.ids || !has(known.ids)) && Date.now() - known.loadedAt >= STALE_MS)) {
      this.#loadingIds ??= this.#loadIds().finally(() => (this.#loadingIds = null));
      known = await this.#loadingIds;
    }
    return known.ids;
  }

  async #loadIds(): Promise<KnownIds> {
    const changeCount = changes().count;
    let ids: Known | null;
    try {
      const loaded = await this.#publicIds();
      const components = new Set(loaded.components);
      ids = {
        incidents: new Set(loaded.incidents),
        components,
        badges: new Set([...components, ...loaded.groups]),
        historyPages: loaded.historyPages,
      };
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
      write(entry, "hit", request, response);
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
    if (fetched === TOO_SLOW) write(fallback!, "stale", request, response);
    else if (fetched.copy) write(fetched.copy, fetched.stale ? "stale" : "miss", request, response);
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
    const entry = copyOf(answer, previous, changeCount, fetchedAt);
    this.#entries.delete(path);
    this.#entries.set(path, entry);
    if (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    return { copy: entry, stale: false, answer: null };
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

function write(copy: Copy, answered: Answered, request: IncomingMessage, response: ServerResponse): void {
  const gzip = acceptsGzip(request.headers["accept-encoding"]);
  const headers = perRequest(gzip ? copy.gzipHeaders : copy.identityHeaders, answered, request);
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
  response.writeHead(answer.status, { ...perRequest(copiedHeaders(answer), "miss", request), "content-length": String(answer.body.length) });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}

/** A copy's headers for one request: how it was answered, and HSTS for a reader over https. */
function perRequest(headers: HeaderMap, answered: Answered, request: IncomingMessage): HeaderMap {
  const own: HeaderMap = { ...headers, [ANSWERED]: answered };
  // Only a trusted proxy's X-Forwarded-Proto survives server.ts.
  if (forwardedHttps(request.headers["x-forwarded-proto"])) own["strict-transport-security"] ??= HSTS;
  return own;
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

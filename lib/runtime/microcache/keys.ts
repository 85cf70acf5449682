import { existsSync, readdirSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { DEFAULT_LOCALE, isLocale, splitLocalePath } from "#lib/core/locales.ts";
import { buildRoutes, IMAGE_OPTIMIZER_PATH, NOT_FOUND_ROUTE, STATIC_FILES_PATH, staticFilesDir } from "#lib/runtime/next-internals.ts";

/*
 * Which copy answers a request: its key is the path and the query
 * parameters its page reads, validated here and checked against what exists
 * by ./public-ids.ts. Any other query string is the same copy, so made-up
 * query strings and ids neither reach Next nor add copies. Made-up paths,
 * percent-encoded or not, and incident ids all get one copy of Next's
 * not-found page: Next renders each unknown path under the catch-all of `/`
 * and writes it into its route cache on disk. A made-up component on
 * /history is no filter, as the page reads it; every history page past the
 * last is the first empty one; a made-up incident's JSON, a made-up
 * component's feed or badge is one copy of Next's 404 for the id `-`.
 * A locale in a query (the embed's) is a key only when it is one of
 * LOCALES: at most one copy per locale.
 */

/** Where the one copy of the not-found page comes from: Next's own, prerendered at build. */
export const NOT_FOUND_PATH = NOT_FOUND_ROUTE;
/** The id in the keys that stand for every unknown one. */
export const UNKNOWN = "-";
const FEEDS = ["/history.rss", "/history.atom", "/feed.json", "/maintenance.ics"];
const EMBED_FRAME = "/embed/frame";
const EMBED_MESSAGES = "/embed/messages.json";
const FEED_PATH = /^\/(?:history\.(?:rss|atom)|feed\.json|maintenance\.ics)$/;
export const FEED_KEY = /^(\/[^?]+)\?component=([a-z0-9]{12})$/;
export const INCIDENT_PAGE = /^\/incidents\/([^/]+)$/;
export const INCIDENT_JSON = /^\/api\/v2\/incidents\/([^/]+)\.json$/;
export const BADGE = /^\/components\/([^/]+)\/badge\.svg$/;
/** The keys Next answers with a 404 that stands for every unknown path or id: kept like a page. */
export const UNKNOWN_KEYS = new Set([
  NOT_FOUND_PATH,
  `/api/v2/incidents/${UNKNOWN}.json`,
  `/components/${UNKNOWN}/badge.svg`,
  ...FEEDS.map((feed) => `${feed}?component=${UNKNOWN}`),
]);

// The pages, and what widgets and feed readers poll: feeds, calendar, badge, the embed, the uptime calendars; /api/v2 (lib/public/statuspage-v2.ts) below.
const STATIC_PATH = /^\/(?:history\.(?:rss|atom)|feed\.json|maintenance\.ics|badge\.svg|embed\.js|embed\/(?:script\.js|status\.json|messages\.json|frame))$/;
/** The pages without an id, in any locale (app/[locale]/). */
const PAGE_PATH = /^\/(?:|history|uptime)$/;
const API_V2 = /^\/api\/v2\/(.+)$/;
const API_V2_NAME = /^(?:status|summary|components|metrics|incidents(?:\/unresolved)?|scheduled-maintenances(?:\/upcoming|\/active)?)\.json$/;

/**
 * The key of the copy that answers a GET or HEAD — NOT_FOUND_PATH for a path
 * `unknownPath` says no page has, or an incident page's malformed id; the
 * `-` key for a malformed id in a machine path — or null when Next must
 * answer. The key is also what Next is asked for. Ids are not checked
 * against what exists here (./public-ids.ts does).
 */
export function microcachePath(request: IncomingMessage, unknownPath: (path: string) => boolean = () => false): string | null {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  // `//api/v2/…` comes from widgets given the page's URL with a trailing slash: Next's 308 carries no CORS header.
  const raw = request.url ?? "";
  const url = /^\/{2,}api\/v2\//.test(raw) ? raw.replace(/^\/{2,}/, "/") : raw;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  // A page in another locale (`/de/history`): the same key under its prefix; only pages have one.
  const { locale, rest } = splitLocalePath(path);
  if (locale !== null && path.endsWith("/")) return null;
  const prefix = locale === null ? "" : `/${locale}`;
  const key = locale === null ? pathKey(path) : pageKey(rest);
  if (key === null) return unknownPath(path) ? NOT_FOUND_PATH : null;
  if (key === NOT_FOUND_PATH) return key;
  const localised = prefix === "" ? key : key === "/" ? prefix : prefix + key;
  return queryAt === -1 ? localised : localised + canonicalQuery(key, url.slice(queryAt + 1));
}

/** The key of a public page's path (without its locale), or null. */
function pageKey(path: string): string | null {
  if (PAGE_PATH.test(path)) return path;
  const incident = INCIDENT_PAGE.exec(path);
  if (!incident) return null;
  const id = decoded(incident[1]);
  return id !== null && PUBLIC_ID.test(id) ? `/incidents/${id}` : NOT_FOUND_PATH;
}

/*
 * The key of a path the microcache answers, without the query. Next matches
 * routes by the path as sent (`/%68istory` is no page) and decodes the ids
 * in it (`/incidents/%61…` is incident `a…`): so does this.
 */
function pathKey(path: string): string | null {
  if (STATIC_PATH.test(path)) return path;
  const page = pageKey(path);
  if (page !== null) return page;
  const api = API_V2.exec(path);
  if (api) {
    const name = decoded(api[1]);
    if (name === null) return null;
    if (API_V2_NAME.test(name)) return `/api/v2/${name}`;
    const incident = /^incidents\/([^/]+)\.json$/.exec(name);
    return incident ? `/api/v2/incidents/${idOrUnknown(incident[1])}.json` : null;
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
 * validates them: `/history` page and component (lib/public/history.ts
 * historyQuery: a bad page is page 1, a bad component none), `/uptime`'s
 * component (a bad one is none), a feed's component (a malformed one is
 * Next's 404 for `-`), the embed's frame its narrow layout (`mobile=true`,
 * app/embed/frame) and its locale, the widget's words their locale
 * (app/embed/messages.json): a locale not in LOCALES is none, as those
 * routes read it. Every other path reads none.
 */
function canonicalQuery(path: string, search: string): string {
  if (path === EMBED_FRAME || path === EMBED_MESSAGES) {
    const query = new URLSearchParams(search);
    const locale = query.get("locale");
    const canonical = new URLSearchParams();
    if (isLocale(locale)) canonical.set("locale", locale);
    if (path === EMBED_FRAME && query.get("mobile") === "true") canonical.set("mobile", "true");
    const text = canonical.toString();
    return text ? `?${text}` : "";
  }
  if (path !== "/history" && path !== "/uptime" && !FEED_PATH.test(path)) return "";
  const query = new URLSearchParams(search);
  const component = query.get("component");
  // /uptime: a malformed component is none (the first component), as the page reads it.
  if (path === "/uptime") return component !== null && PUBLIC_ID.test(component) ? `?component=${component}` : "";
  if (path === "/history") {
    const page = Number(query.get("page") ?? 1);
    return historySearch(Number.isInteger(page) && page <= 10_000 ? page : 1, component !== null && PUBLIC_ID.test(component) ? component : null);
  }
  return component === null ? "" : `?component=${PUBLIC_ID.test(component) ? component : UNKNOWN}`;
}

export function historySearch(page: number, component: string | null): string {
  const query = new URLSearchParams();
  if (page > 1) query.set("page", String(page));
  if (component !== null) query.set("component", component);
  const search = query.toString();
  return search ? `?${search}` : "";
}

/**
 * Which paths no route but the catch-all of `/` (app/[locale]/[[...slug]])
 * takes, from the build's routes, as Next matches them: files of `public/`
 * and the build's static files first (by the decoded path, as Next looks
 * them up), then static routes, then dynamic ones in the manifest's order
 * (by the path as sent, as Next matches them). A page path without a locale
 * is matched as proxy.ts rewrites it, under the default locale (any locale
 * matches the same routes). Whatever it cannot be sure of (a trailing slash
 * Next redirects, a malformed encoding) is left to Next.
 */
export function unknownPaths(distDir: string, publicDir: string): (path: string) => boolean {
  const routes = buildRoutes(distDir);
  const files = new Set<string>();
  const list = (dir: string, prefix: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) files.add(`${prefix}${join(entry.parentPath, entry.name).slice(dir.length)}`);
    }
  };
  list(publicDir, "");
  list(staticFilesDir(distDir), STATIC_FILES_PATH);
  // The build also lists the default locale's prerendered routes (`/en/[[...slug]]`): one name per route.
  const pageOf = (path: string) => {
    const page = routes.find((route) => route.regex.test(path))?.page;
    const { locale, rest } = splitLocalePath(page ?? "");
    return locale === null ? page : `${LOCALE_ROUTE}${rest === "/" ? "" : rest}`;
  };
  return (path) => {
    if (path === "/" || path.endsWith("/") || path.includes("//") || path === IMAGE_OPTIMIZER_PATH) return false;
    const file = decoded(path);
    if (file === null || files.has(file)) return false;
    if (!pageOf(path)?.startsWith(LOCALE_ROUTE)) return false;
    const { locale, rest } = splitLocalePath(path);
    return pageOf(`/${locale ?? DEFAULT_LOCALE}${rest}`) === CATCH_ALL_ROUTE && rest !== "/";
  };
}
const LOCALE_ROUTE = "/[locale]";
const CATCH_ALL_ROUTE = "/[locale]/[[...slug]]";

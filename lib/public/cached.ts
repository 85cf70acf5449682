import { cacheLife, cacheTag } from "next/cache";
import { z } from "zod";
import { db } from "#db/client.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { isLocale, type Locale } from "#lib/core/locales.ts";
import { PUBLIC_TAG } from "#lib/runtime/invalidation.ts";
import { getEmbedConfig } from "#lib/domain/embed-config.ts";
import { componentBadge, faviconSvg, pageBadge } from "./badges.ts";
import { renderCalendar } from "./calendar.ts";
import { isFeedFormat, renderFeed, type FeedFormat } from "./feeds.ts";
import { historyPage, type HistoryQuery } from "./history.ts";
import { incidentPage, statusPage } from "./status-page.ts";
import { renderEmbedFrame } from "./embed-frame.ts";
import { uptimePage } from "./uptime-page.ts";
import { ENDPOINTS, INCIDENT_PATH, isEndpointPath, isStatuspagePath, loadIncident, loadSnapshot, statuspagePayload, type Snapshot } from "./statuspage-v2.ts";
import { offeredLocale, widgetPayload, widgetText } from "./widget.ts";

/*
 * Every "use cache" entry point of the public side, in one place: the read
 * models behind Next's cache, tagged PUBLIC_TAG so a domain write refreshes
 * them (lib/runtime/invalidation.ts).
 *
 * Each result is public data only (the read models pick their fields),
 * because a "use cache" function is also reachable as a server action by its
 * id: proxy.ts refuses such calls, this is the second line. For the same
 * reason every argument is checked again inside: the routes pass only
 * canonical arguments, anything else gets null, a 404.
 */

/*
 * Lifetimes, in seconds. stale: how long a browser may reuse a copy without
 * asking. revalidate: after this a request is still answered from the cache
 * while a fresh copy renders in the background; it bounds staleness when the
 * write happened in another process (a standalone worker, the maintenance
 * scheduler, the seed) whose invalidation cannot reach this cache. expire:
 * how long the last good copy may still be served when it cannot be
 * refreshed, for instance while the database is down: a year for the pages,
 * a day for machine bodies (API, feeds, calendar, badges, images).
 */
const PAGE_LIFE = { stale: 30, revalidate: 60, expire: 31_536_000 };
const MACHINE_LIFE = { stale: 30, revalidate: 60, expire: 86_400 };

const publicId = z.string().regex(PUBLIC_ID);
/** A component filter: none, or a component or group id. */
const componentFilter = publicId.nullable();
const statuspagePath = z.string().max(64).refine(isStatuspagePath);
/* What historyQuery produces, exactly. */
const canonicalHistoryQuery = z.strictObject({
  page: z.number().int().min(1).max(10_000),
  component: publicId.optional(),
});

/* ------------------------------------------------------------------ pages */

export async function cachedStatusPage() {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(PAGE_LIFE);
  return statusPage(await db());
}

export async function cachedIncidentPage(id: string) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(PAGE_LIFE);
  if (!publicId.safeParse(id).success) return null;
  return incidentPage(await db(), id);
}

export async function cachedHistoryPage(query: HistoryQuery) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(PAGE_LIFE);
  const parsed = canonicalHistoryQuery.safeParse(query);
  return parsed.success ? historyPage(await db(), parsed.data) : null;
}

export async function cachedUptimePage(componentId: string | null) {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(PAGE_LIFE);
  const parsed = componentFilter.safeParse(componentId);
  return parsed.success ? uptimePage(await db(), parsed.data) : null;
}

/* ------------------------------------------------------- machine endpoints */

/** The Statuspage v2 snapshot: one database read serves every endpoint, feed, calendar and badge until the next change. */
export async function cachedSnapshot(): Promise<Snapshot> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  return loadSnapshot(await db());
}

/** The JSON body for an /api/v2 path, or null for an unknown path or incident. */
export async function cachedStatuspageBody(path: string): Promise<string | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!statuspagePath.safeParse(path).success) return null;
  if (isEndpointPath(path)) return JSON.stringify(ENDPOINTS[path](await cachedSnapshot()));
  if (!INCIDENT_PATH.test(path)) return null;
  const payload = await statuspagePayload(await db(), path);
  return payload ? JSON.stringify(payload) : null;
}

/** A feed body; null when the component does not exist. */
export async function cachedFeedBody(format: FeedFormat, componentId: string | null): Promise<string | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!isFeedFormat(format) || !componentFilter.safeParse(componentId).success) return null;
  const s = await cachedSnapshot();
  if (componentId && !s.components.some((c) => c.id === componentId)) return null;
  return renderFeed(format, s, componentId ?? undefined);
}

/** The maintenance calendar; null when the component does not exist. */
export async function cachedCalendarBody(componentId: string | null): Promise<string | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!componentFilter.safeParse(componentId).success) return null;
  const s = await cachedSnapshot();
  if (componentId && !s.components.some((c) => c.id === componentId)) return null;
  return renderCalendar(s, componentId ?? undefined);
}

/** The page's badge, or a component's or group's; null when there is no such component. */
export async function cachedBadgeBody(componentId: string | null): Promise<string | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!componentFilter.safeParse(componentId).success) return null;
  const s = await cachedSnapshot();
  return componentId ? componentBadge(s, componentId) : pageBadge(s);
}

export async function cachedFaviconBody(): Promise<string> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  return faviconSvg(await cachedSnapshot());
}

/** What the in-app widget polls: /embed/status.json. */
export async function cachedWidgetBody(): Promise<string> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  return JSON.stringify(widgetPayload(await cachedSnapshot()));
}

/**
 * The Statuspage-compatible embed's frame, narrow (`mobile`) or not, in the
 * locale asked for when the page offers it, else the page's default.
 */
export async function cachedEmbedFrame(mobile: boolean, locale: Locale | null): Promise<string | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (typeof mobile !== "boolean" || !(locale === null || isLocale(locale))) return null;
  const [snapshot, config] = await Promise.all([cachedSnapshot(), db().then(getEmbedConfig)]);
  return renderEmbedFrame(widgetPayload(snapshot), config, mobile, widgetText(offeredLocale(snapshot.page, locale)));
}

/*
 * Social images load their renderer (next/og and its fonts) on first use,
 * so the pages that import this module do not carry it.
 */

/** The site's card in `locale`; null for a locale Candor does not speak. */
export async function cachedSiteImage(locale: Locale): Promise<Uint8Array | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!isLocale(locale)) return null;
  const { siteImage } = await import("./social-images.tsx");
  return siteImage(await cachedSnapshot(), locale);
}

/** An incident's card in `locale`; null for an unknown id or locale. */
export async function cachedIncidentImage(id: string, locale: Locale): Promise<Uint8Array | null> {
  "use cache";
  cacheTag(PUBLIC_TAG);
  cacheLife(MACHINE_LIFE);
  if (!publicId.safeParse(id).success || !isLocale(locale)) return null;
  const found = await loadIncident(await db(), id);
  if (!found) return null;
  const { incidentImage } = await import("./social-images.tsx");
  return incidentImage(found.snapshot, found.incident, locale);
}

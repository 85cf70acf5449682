import type { UpdateStatus } from "#db/schema.ts";
import { incidentUrl, pageUrl } from "#lib/core/page-url.ts";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import { zoneOffsetMinutes } from "#lib/core/time.ts";
import { latestChange, LIST_LIMIT, type PublicPage, type Snapshot, type Timeline } from "./statuspage-v2.ts";

/*
 * Incident history feeds laid out as real Statuspage pages write theirs:
 * one item per incident or maintenance, newest first, the content listing
 * every update with its status label and time. RSS and Atom are written by
 * hand because consumers match the exact layout (child order, `&apos;`,
 * `<maintenanceEndDate>`, `tag:` ids) which the `feed` package cannot produce
 * (it drops Atom extensions and says JSON Feed version 1).
 */

export type FeedFormat = "rss" | "atom" | "json";

export interface FeedItem {
  timeline: Timeline;
  /** Resolution time for a resolved incident, creation otherwise; the window start for a maintenance. */
  published: Date;
  url: string;
  /** The HTML content: the maintenance window banner, then every update, newest first. */
  html: string;
}

/** Items for the whole page or, with a component id, for incidents and maintenances that touched it. */
export function feedItems(s: Snapshot, componentId?: string): FeedItem[] {
  const all = [...s.incidents, ...s.maintenances].filter((t) => !componentId || t.componentIds.includes(componentId));
  return all
    .map((t) => ({ timeline: t, published: publishedAt(t), url: incidentUrl(s.page.url, t.id), html: contentHtml(t, s.page) }))
    .sort((a, b) => b.published.getTime() - a.published.getTime() || a.timeline.id.localeCompare(b.timeline.id))
    .slice(0, LIST_LIMIT);
}

function publishedAt(t: Timeline): Date {
  if (t.kind === "maintenance") return t.scheduled_for!;
  return t.resolved_at ?? t.created_at;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Wall-clock parts of an instant in the page's zone. */
function local(date: Date, zone: string) {
  const offset = zoneOffsetMinutes(date, zone);
  const d = new Date(date.getTime() + offset * 60_000);
  return { d, offset };
}

function pad(n: number) {
  return String(n).padStart(2, "0");
}

/** The zone's short name at that instant: "UTC", "PST", "PDT", "GMT+1". */
export function zoneAbbreviation(date: Date, zone: string): string {
  return (
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC"
  );
}

/** `Jun <var data-var='date'> 8</var>, <var data-var='time'>18:09</var>`, the day space-padded as Statuspage's `%e`. */
function stamp(date: Date, zone: string): string {
  const { d } = local(date, zone);
  return `${MONTHS[d.getUTCMonth()]} <var data-var='date'>${String(d.getUTCDate()).padStart(2, " ")}</var>, <var data-var='time'>${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}</var>`;
}

function time(date: Date, zone: string): string {
  const { d } = local(date, zone);
  return `<var data-var='time'>${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}</var>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Update bodies are plain text to feed readers: escaped, line breaks as Statuspage stores them. */
function bodyHtml(body: string): string {
  return escapeHtml(body).replace(/\r?\n/g, "<br />");
}

/** "Update" when an update repeats the previous (older) update's status, as Statuspage labels it. */
export function updateLabels(statuses: UpdateStatus[]): string[] {
  return statuses.map((status, i) => (i + 1 < statuses.length && statuses[i + 1] === status ? "Update" : updateStatusMeta[status].label));
}

export function contentHtml(t: Timeline, page: PublicPage): string {
  const zone = page.time_zone;
  const labels = updateLabels(t.updates.map((u) => u.status));
  const updates = t.updates
    .map(
      (u, i) =>
        `<p><small>${stamp(u.display_at, zone)} ${zoneAbbreviation(u.display_at, zone)}</small><br><strong>${labels[i]}</strong> - ${bodyHtml(u.body)}</p>`,
    )
    .join("");
  if (t.kind !== "maintenance") return updates;
  const from = t.scheduled_for!;
  const until = t.scheduled_until!;
  const sameDay = local(from, zone).d.toISOString().slice(0, 10) === local(until, zone).d.toISOString().slice(0, 10);
  const end = sameDay ? time(until, zone) : stamp(until, zone);
  return `<p><strong>THIS IS A SCHEDULED EVENT ${stamp(from, zone)} - ${end} ${zoneAbbreviation(from, zone)}</strong></p>${updates}`;
}

/** RFC 822 with a numeric offset in the page's zone: "Tue, 16 Jan 2024 12:00:00 +0000". */
export function rfc822(date: Date, zone: string): string {
  const { d, offset } = local(date, zone);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** Atom's timestamps, as Rails' atom_feed writes them: UTC, whole seconds. */
function atomTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function xmlEscape(text: string, apostrophes: boolean): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return apostrophes ? escaped.replace(/'/g, "&apos;") : escaped;
}

function feedTitle(page: PublicPage) {
  return `${page.name} Status - Incident History`;
}

function feedUpdated(s: Snapshot): Date {
  return latestChange(s.page, s.components, s.groups, [...s.incidents, ...s.maintenances]);
}

export function renderRss(s: Snapshot, componentId?: string): string {
  const x = (t: string) => xmlEscape(t, true);
  const items = feedItems(s, componentId).map((item) => {
    const t = item.timeline;
    const end =
      t.kind === "maintenance" ? `\n      <maintenanceEndDate>${rfc822(t.scheduled_until!, s.page.time_zone)}</maintenanceEndDate>` : "";
    return `    <item>
      <title>${x(t.name)}</title>
      <description>
${x(item.html)}      </description>
      <pubDate>${rfc822(item.published, s.page.time_zone)}</pubDate>${end}
      <link>${x(item.url)}</link>
      <guid>${x(item.url)}</guid>
    </item>
`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${x(feedTitle(s.page))}</title>
    <link>${x(pageUrl(s.page.url))}</link>
    <description>Statuspage</description>
    <pubDate>${rfc822(feedUpdated(s), s.page.time_zone)}</pubDate>
${items.join("")}  </channel>
</rss>
`;
}

export function renderAtom(s: Snapshot, componentId?: string): string {
  const x = (t: string) => xmlEscape(t, false);
  const base = pageUrl(s.page.url);
  const host = new URL(base).host;
  const self = `${base}/history.atom${componentId ? `?component=${componentId}` : ""}`;
  const entries = feedItems(s, componentId).map((item) => {
    const t = item.timeline;
    return `  <entry>
    <id>tag:${x(host)},2005:Incident/${t.id}</id>
    <published>${atomTime(item.published)}</published>
    <updated>${atomTime(t.updated_at)}</updated>
    <link rel="alternate" type="text/html" href="${x(item.url)}"/>
    <title>${x(t.name)}</title>
    <content type="html">${x(item.html)}</content>
  </entry>
`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
  <id>tag:${x(host)},2005:/history</id>
  <link rel="alternate" type="text/html" href="${x(base)}"/>
  <link rel="self" type="application/atom+xml" href="${x(self)}"/>
  <title>${x(feedTitle(s.page))}</title>
  <updated>${atomTime(feedUpdated(s))}</updated>
  <author>
    <name>${x(s.page.name)}</name>
  </author>
${entries.join("")}</feed>
`;
}

/** JSON Feed 1.1, with the lifecycle in a `_candor` extension object for programs that want more than HTML. */
export function renderJsonFeed(s: Snapshot, componentId?: string): string {
  const base = pageUrl(s.page.url);
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: feedTitle(s.page),
    home_page_url: base,
    feed_url: `${base}/feed.json${componentId ? `?component=${componentId}` : ""}`,
    description: `Incidents and maintenance on ${s.page.name}`,
    language: "en-US",
    authors: [{ name: s.page.name, url: base }],
    items: feedItems(s, componentId).map((item) => {
      const t = item.timeline;
      return {
        id: item.url,
        url: item.url,
        title: t.name,
        content_html: item.html,
        date_published: item.published.toISOString(),
        date_modified: t.updated_at.toISOString(),
        tags: [t.kind, t.status],
        _candor: {
          kind: t.kind,
          status: t.status,
          impact: t.impact,
          scheduled_for: t.scheduled_for?.toISOString() ?? null,
          scheduled_until: t.scheduled_until?.toISOString() ?? null,
        },
      };
    }),
  };
  return JSON.stringify(feed);
}

export const feedContentTypes: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  json: "application/feed+json; charset=utf-8",
};

const renderers: Record<FeedFormat, (s: Snapshot, componentId?: string) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

export function isFeedFormat(format: string): format is FeedFormat {
  return Object.hasOwn(renderers, format);
}

/** A feed of the whole page or, with a component id, of what touched it. */
export function renderFeed(format: FeedFormat, s: Snapshot, componentId?: string): string {
  return renderers[format](s, componentId);
}

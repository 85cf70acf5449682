import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import { describe, expect, it, vi } from "vitest";
import { badgeSvg, componentBadge, pageBadge } from "#lib/public/badges.ts";
import { renderCalendar } from "#lib/public/calendar.ts";
import { renderAtom, renderJsonFeed, renderRss, rfc822, updateLabels } from "#lib/public/feeds.ts";
import { component, group, incident, maintenance, page, snapshot } from "../support/snapshots.ts";

/*
 * Every feed is read back by an independent parser (fast-xml-parser, ical.js)
 * and checked against its spec's required elements and the layout real
 * Statuspage pages write.
 */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["item", "entry"].includes(name) });
const atomXml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["entry", "link"].includes(name) });

const api = component({ name: "API", status: "partial_outage" });
const resolved = incident({
  name: "Billing API errors for O'Brien & co <script>",
  componentIds: [api.id],
  steps: [
    ["investigating", "2025-03-01T10:00:00Z", "We're looking.\nSecond line."],
    ["investigating", "2025-03-01T10:20:00Z", "Still looking."],
    ["identified", "2025-03-01T10:40:00Z"],
    ["resolved", "2025-03-01T11:05:00Z"],
  ],
});
const open = incident({ name: "Slow dashboard", steps: [["investigating", "2025-03-05T08:00:00Z"]] });
const window = maintenance({ name: "Database upgrade", componentIds: [api.id] });
const cancelled = maintenance({
  name: "Cancelled window",
  sequence: 1,
  cancelled_at: new Date("2025-03-02T00:00:00Z"),
  scheduled_for: new Date("2025-03-20T01:00:00Z"),
  scheduled_until: new Date("2025-03-21T03:00:00Z"),
  steps: [["scheduled", "2025-03-01T09:00:00Z"], ["completed", "2025-03-02T00:00:00Z"]],
});
const demo = snapshot({ components: [api], incidents: [open, resolved], maintenances: [cancelled, window] });

describe("RSS 2.0 (/history.rss)", () => {
  const body = renderRss(demo);
  const rss = xml.parse(body).rss;

  it("is well-formed RSS 2.0 with the channel elements the spec requires", () => {
    expect(XMLValidator.validate(body)).toBe(true);
    expect(rss["@version"]).toBe("2.0");
    expect(rss.channel.title).toBe("Acme Status - Incident History");
    expect(rss.channel.link).toBe("https://status.acme.test");
    expect(rss.channel.description).toBe("Statuspage");
    expect(Number.isNaN(Date.parse(rss.channel.pubDate))).toBe(false);
  });

  it("has one item per incident or maintenance, newest first, children in Statuspage's order", () => {
    const items = rss.channel.item;
    expect(items.map((i: { title: string }) => i.title)).toEqual([
      "Cancelled window",
      "Database upgrade",
      "Slow dashboard",
      "Billing API errors for O'Brien & co <script>",
    ]);
    expect(body).toMatch(/<item>\n\s+<title>[^]*?<\/title>\n\s+<description>[^]*?<\/description>\n\s+<pubDate>[^]*?<\/pubDate>\n\s+<link>/);
    for (const item of items) {
      expect(item.guid).toBe(item.link);
      expect(item.link).toMatch(/^https:\/\/status\.acme\.test\/incidents\/[a-z0-9]{12}$/);
    }
  });

  it("dates a resolved incident by its resolution and a maintenance by its window, with maintenanceEndDate", () => {
    const [cancelledItem, windowItem, , resolvedItem] = rss.channel.item;
    expect(resolvedItem.pubDate).toBe("Sat, 01 Mar 2025 11:05:00 +0000");
    expect(resolvedItem.maintenanceEndDate).toBeUndefined();
    expect(windowItem.pubDate).toBe("Mon, 10 Mar 2025 01:00:00 +0000");
    expect(windowItem.maintenanceEndDate).toBe("Mon, 10 Mar 2025 03:00:00 +0000");
    expect(cancelledItem.maintenanceEndDate).toBe("Fri, 21 Mar 2025 03:00:00 +0000");
  });

  it("lists every update newest first with its label, `Update` for a repeated status, as escaped HTML", () => {
    const description: string = rss.channel.item[3].description;
    const labels = [...description.matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => m[1]);
    expect(labels).toEqual(["Resolved", "Identified", "Update", "Investigating"]);
    expect(description).toContain("<p><small>Mar <var data-var='date'> 1</var>, <var data-var='time'>11:05</var> UTC</small><br><strong>Resolved</strong> - ");
    expect(description).toContain("We're looking.<br />Second line.");
    // Statuspage's template whitespace and its `&apos;`.
    expect(body).toContain("<description>\n&lt;p&gt;");
    expect(body).toContain("&lt;/p&gt;      </description>");
    expect(body).toContain("data-var=&apos;date&apos;");
    expect(body).toContain("<title>Billing API errors for O&apos;Brien &amp; co &lt;script&gt;</title>");
  });

  it("opens a maintenance item with the scheduled-event banner, a dated end for a multi-day window", () => {
    const [cancelledItem, windowItem] = rss.channel.item;
    expect(windowItem.description).toMatch(
      /^<p><strong>THIS IS A SCHEDULED EVENT Mar <var data-var='date'>10<\/var>, <var data-var='time'>01:00<\/var> - <var data-var='time'>03:00<\/var> UTC<\/strong><\/p>/,
    );
    expect(cancelledItem.description).toContain("- Mar <var data-var='date'>21</var>, <var data-var='time'>03:00</var> UTC</strong>");
  });

  it("narrows to one component", () => {
    const items = xml.parse(renderRss(demo, api.id)).rss.channel.item;
    expect(items.map((i: { title: string }) => i.title)).toEqual(["Database upgrade", "Billing API errors for O'Brien & co <script>"]);
  });

  it("writes dates in the page's zone with a numeric offset", () => {
    expect(rfc822(new Date("2025-01-16T20:00:00Z"), "America/Los_Angeles")).toBe("Thu, 16 Jan 2025 12:00:00 -0800");
    expect(rfc822(new Date("2025-07-16T19:00:00Z"), "America/Los_Angeles")).toBe("Wed, 16 Jul 2025 12:00:00 -0700");
    const la = renderRss({ ...demo, page: page({ time_zone: "America/Los_Angeles" }) });
    expect(la).toContain("PST&lt;/small&gt;");
  });
});

describe("Atom 1.0 (/history.atom)", () => {
  const body = renderAtom(demo);
  const feed = atomXml.parse(body).feed;

  it("is well-formed Atom with the feed elements RFC 4287 requires", () => {
    expect(XMLValidator.validate(body)).toBe(true);
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed["@xml:lang"]).toBe("en-US");
    expect(feed.id).toBe("tag:status.acme.test,2005:/history");
    expect(feed.title).toBe("Acme Status - Incident History");
    expect(feed.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(feed.author.name).toBe("Acme");
    expect(feed.link.map((l: Record<string, string>) => [l["@rel"], l["@href"]])).toEqual([
      ["alternate", "https://status.acme.test"],
      ["self", "https://status.acme.test/history.atom"],
    ]);
  });

  it("has entries with id, title, updated, published, an alternate link and HTML content", () => {
    expect(feed.entry).toHaveLength(4);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^tag:status\.acme\.test,2005:Incident\/[a-z0-9]{12}$/);
      expect(entry.title).toEqual(expect.any(String));
      expect(Date.parse(entry.updated)).toBeGreaterThan(0);
      expect(Date.parse(entry.published)).toBeGreaterThan(0);
      expect(entry.link[0]["@rel"]).toBe("alternate");
      expect(entry.content["@type"]).toBe("html");
      expect(entry.content["#text"]).toContain("<strong>");
    }
    expect(feed.entry[3].published).toBe("2025-03-01T11:05:00Z");
    // Atom keeps apostrophes as they are.
    expect(body).toContain("data-var='date'");
  });
});

describe("JSON Feed 1.1 (/feed.json)", () => {
  it("has the top-level and item fields version 1.1 requires", () => {
    const feed = JSON.parse(renderJsonFeed(demo));
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.title).toBe("Acme Status - Incident History");
    expect(feed.feed_url).toBe("https://status.acme.test/feed.json");
    expect(feed.items).toHaveLength(4);
    for (const item of feed.items) {
      expect(item.id).toEqual(expect.any(String));
      expect(item.content_html).toEqual(expect.any(String));
      expect(new Date(item.date_published).toISOString()).toBe(item.date_published);
    }
    expect(feed.items[1]._candor).toMatchObject({ kind: "maintenance", scheduled_until: "2025-03-10T03:00:00.000Z" });
  });
});

describe("labels", () => {
  it("says Update when an update repeats the previous one's status", () => {
    expect(updateLabels(["monitoring", "monitoring", "identified", "investigating", "investigating"])).toEqual([
      "Update",
      "Monitoring",
      "Identified",
      "Update",
      "Investigating",
    ]);
  });
});

describe("iCalendar (/maintenance.ics)", () => {
  it("parses back with a stable UID, SEQUENCE, UTC times, URL and CANCELLED for a cancelled window", () => {
    const body = renderCalendar(demo);
    const calendar = new ICAL.Component(ICAL.parse(body));
    const events = calendar.getAllSubcomponents("vevent");
    expect(events).toHaveLength(2);
    const byName = new Map(events.map((e) => [e.getFirstPropertyValue("summary"), e]));
    const upcoming = byName.get("Database upgrade")!;
    expect(upcoming.getFirstPropertyValue("uid")).toBe(`maintenance-${window.id}@status.acme.test`);
    expect(upcoming.getFirstPropertyValue("sequence")).toBe(0);
    expect(upcoming.getFirstPropertyValue("status")).toBe("CONFIRMED");
    expect(upcoming.getFirstPropertyValue("url")).toBe(`https://status.acme.test/incidents/${window.id}`);
    const start = upcoming.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(start.zone?.tzid).toBe("UTC");
    expect(start.toJSDate().toISOString()).toBe("2025-03-10T01:00:00.000Z");
    expect((upcoming.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().toISOString()).toBe("2025-03-10T03:00:00.000Z");
    const gone = byName.get("Cancelled window")!;
    expect(gone.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(gone.getFirstPropertyValue("sequence")).toBe(1);
    expect(body).toMatch(/DTSTART:20250310T010000Z/);
  });

  it("renders the same bytes an hour later (DTSTAMP is the revision time), so the ETag holds", () => {
    vi.useFakeTimers({ now: new Date("2025-03-05T00:00:00Z"), toFake: ["Date"] });
    try {
      const first = renderCalendar(demo);
      vi.setSystemTime(new Date("2025-03-05T01:00:00Z"));
      expect(renderCalendar(demo)).toBe(first);
    } finally {
      vi.useRealTimers();
    }
  });

  it("narrows to one component and stays a valid calendar when empty", () => {
    const one = new ICAL.Component(ICAL.parse(renderCalendar(demo, api.id)));
    expect(one.getAllSubcomponents("vevent").map((e) => e.getFirstPropertyValue("summary"))).toEqual(["Database upgrade"]);
    const none = new ICAL.Component(ICAL.parse(renderCalendar(snapshot())));
    expect(none.name).toBe("vcalendar");
    expect(none.getAllSubcomponents("vevent")).toEqual([]);
  });
});

describe("badges", () => {
  it("is valid SVG carrying the status text, escaped", () => {
    const svg = badgeSvg("R&D <api>", "Major outage", "#b91c1c");
    expect(XMLValidator.validate(svg)).toBe(true);
    const root = xml.parse(svg).svg;
    expect(root["@xmlns"]).toBe("http://www.w3.org/2000/svg");
    expect(root.title).toBe("R&D <api>: Major outage");
    expect(Number(root["@width"])).toBeGreaterThan(60);
  });

  it("shows the overall description for the page and each component's status", () => {
    // One component in partial outage: "Partial System Outage" (docs/machine-endpoints.md, Overall status).
    expect(pageBadge(demo)).toContain(">Partial System Outage</text>");
    expect(componentBadge(demo, api.id)).toContain(">Partial outage</text>");
    const g = group({ name: "Platform" });
    const child = component({ group_id: g.id, status: "degraded_performance" });
    expect(componentBadge(snapshot({ groups: [g], components: [child] }), g.id)).toContain(">Degraded performance</text>");
    expect(componentBadge(demo, "nosuchthing1")).toBeNull();
  });
});

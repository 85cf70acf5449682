/*
 * Every machine endpoint fetched from the running app (the production server on the demo
 * data) and validated as its consumers would: strict Statuspage schemas and
 * key order, HTTP behaviour (HEAD, CORS, ETag/304, cacheable headers, JSON
 * 404, a doubled leading slash), feeds through an independent parser, the calendar
 * through ical.js, badges, the favicon and the social card images.
 */
import { expect, test, type APIRequestContext, type APIResponse, type Page } from "@playwright/test";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import ICAL from "ical.js";
import { DEMO_OWNER } from "../../scripts/demo-owner.ts";
import {
  ENVELOPE_PATHS,
  envelopes,
  keyOrderProblems,
  singleIncidentSchema,
} from "../support/statuspage-schemas.ts";

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => ["item", "entry"].includes(name) });
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function expectCacheable(response: APIResponse) {
  const headers = response.headers();
  expect(headers["cache-control"]).toMatch(/s-maxage=\d+/);
  expect(headers["cache-control"]).toMatch(/stale-while-revalidate=\d+/);
  expect(headers["cache-control"]).toMatch(/stale-if-error=\d+/);
  expect(headers["etag"]).toMatch(/^"[^"]+"$/);
  expect(headers["access-control-allow-origin"]).toBe("*");
}

async function expectPng(response: APIResponse) {
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/png");
  const body = await response.body();
  expect([...body.subarray(0, 8)]).toEqual(PNG);
  // IHDR: 1200 × 630.
  expect(body.readUInt32BE(16)).toBe(1200);
  expect(body.readUInt32BE(20)).toBe(630);
  return body;
}

async function apiKey(page: Page): Promise<string> {
  await page.goto("/admin/sign-in");
  await page.getByLabel("Email").fill(DEMO_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/admin/sign-in"));
  await page.goto("/admin/api-keys");
  await page.getByLabel("Name").fill(`machine endpoints ${Date.now()}`);
  await page.getByLabel("Scope").selectOption("write");
  await page.getByRole("button", { name: "Create API key" }).click();
  return page.getByLabel("New API key").inputValue();
}

async function json(request: APIRequestContext, path: string) {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  return response.json();
}

test.describe("Statuspage v2 API", () => {
  test("every endpoint validates against the reference, with CORS, ETag and cacheable headers", async ({ request }) => {
    for (const path of ENVELOPE_PATHS) {
      const response = await request.get(`/api/v2/${path}`);
      expect(response.status(), path).toBe(200);
      expect(response.headers()["content-type"]).toBe("application/json; charset=utf-8");
      expectCacheable(response);
      const payload = await response.json();
      envelopes[path].parse(payload);
      expect(keyOrderProblems(path, payload), path).toEqual([]);
    }
    const summary = await json(request, "/api/v2/summary.json");
    expect(summary.components.length).toBeGreaterThan(5);
    expect(summary.incidents.length).toBeGreaterThan(0);
    const [incident] = (await json(request, "/api/v2/incidents.json")).incidents;
    const single = await json(request, `/api/v2/incidents/${incident.id}.json`);
    expect(singleIncidentSchema.parse(single).incident.id).toBe(incident.id);
  });

  test("answers HEAD, 304 on If-None-Match, a JSON 404, and a doubled slash", async ({ request, baseURL }) => {
    const head = await request.head("/api/v2/components.json");
    expect(head.status()).toBe(200);
    expect(await head.body()).toHaveLength(0);

    const first = await request.get("/api/v2/status.json");
    const etag = first.headers()["etag"];
    const again = await request.get("/api/v2/status.json", { headers: { "If-None-Match": etag } });
    expect(again.status()).toBe(304);
    const changed = await request.get("/api/v2/status.json", { headers: { "If-None-Match": '"something-else"' } });
    expect(changed.status()).toBe(200);

    for (const path of ["/api/v2/nonsense-zzz.json", "/api/v2/incidents/zzzzzzzzzzzz.json", "/api/v2"]) {
      const missing = await request.get(path);
      expect(missing.status(), path).toBe(404);
      expect(missing.headers()["content-type"]).toContain("application/json");
      expect((await missing.json()).error).toBe("not_found");
    }

    // A doubled leading slash (a widget given the page URL with a trailing slash) gets the payload itself, readable cross-origin.
    const doubled = await request.get(`${baseURL}//api/v2/status.json`, { maxRedirects: 0 });
    expect(doubled.status()).toBe(200);
    expect(doubled.headers()["access-control-allow-origin"]).toBe("*");
    envelopes["status.json"].parse(await doubled.json());
  });
});

test.describe("feeds, calendar, badges, favicon", () => {
  test("RSS, Atom and JSON Feed parse and carry the history, also per component", async ({ request }) => {
    const components = (await json(request, "/api/v2/components.json")).components;
    const component = components.find((c: { group: boolean }) => !c.group);
    for (const query of ["", `?component=${component.id}`]) {
      const rss = await request.get(`/history.rss${query}`);
      expect(rss.headers()["content-type"]).toBe("application/rss+xml; charset=utf-8");
      expectCacheable(rss);
      const rssText = await rss.text();
      expect(XMLValidator.validate(rssText)).toBe(true);
      const channel = xml.parse(rssText).rss.channel;
      expect(channel.description).toBe("Statuspage");
      if (!query) expect(channel.item.length).toBeGreaterThan(5);
      for (const item of channel.item ?? []) {
        expect(item.title).toEqual(expect.any(String));
        expect(item.guid).toBe(item.link);
        expect(item.description).toMatch(/<strong>[A-Z][a-z ]+<\/strong> - /);
      }

      const atom = await request.get(`/history.atom${query}`);
      expect(atom.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
      const atomText = await atom.text();
      expect(XMLValidator.validate(atomText)).toBe(true);
      const feed = xml.parse(atomText).feed;
      expect(feed.id).toMatch(/^tag:.+,2005:\/history$/);
      for (const entry of feed.entry ?? []) expect(entry.id).toMatch(/,2005:Incident\/[a-z0-9]{12}$/);

      const jsonFeed = await json(request, `/feed.json${query}`);
      expect(jsonFeed.version).toBe("https://jsonfeed.org/version/1.1");
      expect(jsonFeed.items.length).toBe((channel.item ?? []).length);
    }
    expect((await request.get("/history.rss?component=zzzzzzzzzzzz")).status()).toBe(404);
  });

  test("the calendar parses back with every maintenance as a UTC VEVENT", async ({ request }) => {
    const response = await request.get("/maintenance.ics");
    expect(response.headers()["content-type"]).toBe("text/calendar; charset=utf-8");
    expectCacheable(response);
    const events = new ICAL.Component(ICAL.parse(await response.text())).getAllSubcomponents("vevent");
    const maintenances = (await json(request, "/api/v2/scheduled-maintenances.json")).scheduled_maintenances;
    expect(events).toHaveLength(maintenances.length);
    for (const event of events) {
      expect(event.getFirstPropertyValue("uid")).toMatch(/^maintenance-[a-z0-9]{12}@/);
      expect((event.getFirstPropertyValue("dtstart") as ICAL.Time).zone?.tzid).toBe("UTC");
      expect(["CONFIRMED", "CANCELLED"]).toContain(event.getFirstPropertyValue("status"));
      expect(event.getFirstPropertyValue("url")).toMatch(/\/incidents\/[a-z0-9]{12}$/);
    }
  });

  test("badges and the favicon are SVG showing the current status", async ({ request }) => {
    const { status } = await json(request, "/api/v2/status.json");
    const badge = await request.get("/badge.svg");
    expect(badge.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expectCacheable(badge);
    const svg = await badge.text();
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain(`>${status.description}</text>`);

    const [component] = (await json(request, "/api/v2/components.json")).components.filter((c: { group: boolean }) => !c.group);
    const componentSvg = await (await request.get(`/components/${component.id}/badge.svg`)).text();
    expect(componentSvg).toContain(`>${component.name}</text>`);
    expect((await request.get("/components/zzzzzzzzzzzz/badge.svg")).status()).toBe(404);

    const icon = await request.get("/icon");
    expect(icon.headers()["content-type"]).toBe("image/svg+xml");
    expect(XMLValidator.validate(await icon.text())).toBe(true);
  });
});

test.describe("discovery and social metadata", () => {
  test("public pages link the feeds and carry canonical, Open Graph and Twitter card tags", async ({ page }) => {
    for (const path of ["/", "/history"]) {
      await page.goto(path);
      const head = page.locator("head");
      await expect(head.locator('link[rel="alternate"][type="application/rss+xml"]')).toHaveAttribute("href", /\/history\.rss$/);
      await expect(head.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", /\/history\.atom$/);
      await expect(head.locator('link[rel="alternate"][type="application/feed+json"]')).toHaveAttribute("href", /\/feed\.json$/);
      await expect(head.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`^https?://[^/]+${path === "/" ? "/?" : path}$`));
      await expect(head.locator('meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");
      await expect(head.locator('meta[property="og:image"]').first()).toHaveAttribute("content", /opengraph-image/);
      await expect(head.locator('meta[name="description"]')).toHaveAttribute("content", /.+/);
      await expect(head.locator('link[rel="icon"]').first()).toHaveAttribute("href", /\/icon/);
    }
  });
});

test.describe("social cards", () => {
  test("the site card and an incident card in Latin, accents, Arabic, Hebrew, Devanagari, Thai, CJK and emoji render as PNG", async ({ page, request }) => {
    const home = await page.request.get("/");
    expect(home.status()).toBe(200);
    await expectPng(await request.get("/opengraph-image"));

    const token = await apiKey(page);
    const created = await request.post("/api/v1/incidents", {
      headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": `og-${Date.now()}` },
      data: {
        name: "Café outage: 東京 データセンター 障害 서울 Ελληνικά 🔥 Zürich عطل في الدفع שירות התשלומים भुगतान सेवा ระบบล่ม",
        severity: "SEV-3",
        body: "Investigating 🚒.",
        notify: false,
      },
    });
    expect(created.status()).toBe(201);
    const id: string = (await created.json()).id;
    expect(id).toMatch(/^[a-z0-9]{12}$/);

    // The incident page links its own card; it renders with the shipped fonts, no network (test/unit/social-images.test.ts).
    await page.goto(`/incidents/${id}`);
    const image = await page.locator('meta[property="og:image"]').getAttribute("content");
    expect(image).toContain(`/incidents/${id}/opengraph-image`);
    const card = await expectPng(await request.get(new URL(image!).pathname + new URL(image!).search));
    expect(card.byteLength).toBeGreaterThan(10_000);

    // Posting invalidated the cached API: the new incident shows up without a restart.
    await expect
      .poll(async () => (await json(request, "/api/v2/incidents/unresolved.json")).incidents.map((i: { id: string }) => i.id), {
        timeout: 15_000,
      })
      .toContain(id);
  });
});

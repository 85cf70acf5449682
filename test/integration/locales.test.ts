/*
 * Locale-prefixed URLs on the real production server (server.ts, its
 * microcache, proxy.ts, the build in NEXT_DIST_DIR): the default locale
 * unprefixed, every other under its tag with <html lang dir>; a reader sent
 * to their language by the switcher's remembered choice or Accept-Language;
 * the switcher's links; a locale the page does not offer is a 404; the
 * owner's default and offered languages. And the settings refuse a default
 * that is not offered, naming the field, changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OVERALL_KEYS } from "#lib/core/messages.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

async function get(server: NextServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  return { status: response.status, headers: response.headers, body: await response.text() };
}
const htmlTag = (body: string) => /<html[^>]*>/.exec(body)?.[0] ?? "";

describe("locale-prefixed public pages", () => {
  let server: NextServer;
  let incidentId: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        incidentId = (await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
      },
    });
  }, 120_000);
  afterAll(() => server?.stop());

  it("serves the default locale unprefixed and every other under its tag, with the document's language and direction", async () => {
    for (const [path, lang, dir] of [
      ["/", "en", "ltr"],
      ["/history", "en", "ltr"],
      ["/de", "de", "ltr"],
      ["/de/history", "de", "ltr"],
      ["/ja/uptime", "ja", "ltr"],
      [`/ar/incidents/${incidentId}`, "ar", "rtl"],
      [`/pt-BR/incidents/${incidentId}`, "pt-BR", "ltr"],
      ["/zh-CN/subscribe", "zh-CN", "ltr"],
    ]) {
      const page = await get(server, path);
      expect(page.status, path).toBe(200);
      expect(htmlTag(page.body), path).toBe(`<html lang="${lang}" dir="${dir}">`);
    }
  });

  it("answers each locale's page from the microcache, one copy per locale", async () => {
    await get(server, "/fr");
    const again = await get(server, "/fr");
    expect(again.headers.get("x-candor-microcache")).toBe("hit");
    expect(htmlTag(again.body)).toContain('lang="fr"');
    const english = await get(server, "/");
    expect(htmlTag(english.body)).toContain('lang="en"');
  });

  it("sends a reader of an unprefixed page to the language they ask for, keeping the query; English readers and crawlers stay", async () => {
    for (const [accept, location] of [
      ["de-AT,de;q=0.9,en;q=0.5", "/de/history?page=2"],
      ["zh", "/zh-CN/history?page=2"],
      ["pt", "/pt-BR/history?page=2"],
      ["ar-EG", "/ar/history?page=2"],
    ]) {
      const answer = await get(server, "/history?page=2", { "accept-language": accept });
      expect(answer.status, accept).toBe(307);
      expect(answer.headers.get("location"), accept).toBe(location);
      expect(answer.headers.get("cache-control")).toContain("no-store");
    }
    for (const accept of ["en-US,en;q=0.9,de;q=0.8", "", "xx-YY", "*", "de;q=0"]) {
      expect((await get(server, "/history", accept ? { "accept-language": accept } : {})).status, accept).toBe(200);
    }
    // A prefixed page is what it says, whatever the browser asks for.
    expect((await get(server, "/de/history", { "accept-language": "ja" })).status).toBe(200);
  });

  it("remembers the switcher's choice, over Accept-Language, and takes the reader to the same page", async () => {
    const switched = await get(server, `/locale?to=ja&path=${encodeURIComponent("/history?page=2")}`);
    expect(switched.status).toBe(303);
    expect(switched.headers.get("location")).toBe("/ja/history?page=2");
    const cookie = switched.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^candor_locale=ja; Path=\/; Max-Age=\d+; SameSite=Lax/);
    const chosen = cookie.split(";")[0];
    expect((await get(server, "/", { cookie: chosen, "accept-language": "de" })).headers.get("location")).toBe("/ja");
    // Choosing the default language keeps the reader on the unprefixed pages even when the browser asks for another.
    const back = await get(server, `/locale?to=en&path=${encodeURIComponent("/ja/uptime")}`);
    expect(back.headers.get("location")).toBe("/uptime");
    expect((await get(server, "/uptime", { cookie: back.headers.get("set-cookie")!.split(";")[0], "accept-language": "de" })).status).toBe(200);
  });

  it("refuses a switch to a language it does not know or to another site, naming the field", async () => {
    for (const [query, field] of [
      ["to=xx&path=/", "to"],
      ["path=/", "to"],
      ["to=de&path=//evil.example/x", "path"],
      ["to=de&path=https://evil.example/", "path"],
      ["to=de&path=/\\evil.example", "path"],
    ]) {
      const answer = await get(server, `/locale?${query}`);
      expect(answer.status, query).toBe(422);
      expect(answer.headers.get("set-cookie"), query).toBeNull();
      expect(JSON.parse(answer.body).error.issues.map((i: { field: string }) => i.field), query).toEqual([field]);
    }
  });

  it("leaves feeds, badges and the API unprefixed and English, and has no localised copy of them", async () => {
    expect((await get(server, "/history.rss")).status).toBe(200);
    const status = JSON.parse((await get(server, "/api/v2/status.json", { "accept-language": "de" })).body);
    expect(Object.keys(OVERALL_KEYS)).toContain(status.status.description);
    expect((await get(server, "/de/history.rss")).status).toBe(404);
    expect((await get(server, "/de/api/v2/status.json")).status).toBe(404);
  });
});

describe("the owner's languages", () => {
  let server: NextServer;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        await updatePageSettings(db, systemActor, { ...(await settingsOf(db)), defaultLocale: "de", locales: ["de", "en", "ar"] });
      },
    });
  }, 120_000);
  afterAll(() => server?.stop());

  it("serves the default language unprefixed, the others prefixed, and no other", async () => {
    expect(htmlTag((await get(server, "/")).body)).toContain('lang="de"');
    expect(htmlTag((await get(server, "/en/history")).body)).toContain('lang="en"');
    expect(htmlTag((await get(server, "/ar")).body)).toContain('dir="rtl"');
    for (const path of ["/fr", "/fr/history", "/ja/uptime"]) expect((await get(server, path)).status, path).toBe(404);
    // A reader asking for a language not offered gets the default; one asking for English is sent to it.
    expect((await get(server, "/", { "accept-language": "fr-FR" })).status).toBe(200);
    expect((await get(server, "/", { "accept-language": "en-GB" })).headers.get("location")).toBe("/en");
    expect((await get(server, "/locale?to=fr&path=/")).status).toBe(422);
  });
});

async function settingsOf(db: Parameters<typeof getPage>[0]) {
  const page = await getPage(db);
  return { name: page.name, url: page.url, timeZone: page.time_zone };
}

describe.each(engines)("language settings on %s", (engine) => {
  it("refuse a default that is not offered and an empty offer, naming the field, changing nothing", async () => {
    const h = await freshDatabase(engine);
    try {
      const base = await settingsOf(h.db);
      const before = await getPage(h.db);
      for (const [input, field] of [
        [{ defaultLocale: "fr", locales: ["de", "en"] }, "defaultLocale"],
        [{ locales: [] }, "locales"],
        [{ locales: ["de", "xx"] }, "locales.1"],
        [{ defaultLocale: "klingon" }, "defaultLocale"],
        [{ locales: ["de"] }, "defaultLocale"],
      ] as const) {
        const error = await updatePageSettings(h.db, systemActor, { ...base, ...input }).catch((e: unknown) => e);
        expect(error, JSON.stringify(input)).toMatchObject({ code: "invalid_input" });
        expect((error as { issues: { field: string }[] }).issues.map((i) => i.field), JSON.stringify(input)).toEqual([field]);
      }
      expect(await getPage(h.db)).toEqual(before);
      const after = await updatePageSettings(h.db, systemActor, { ...base, defaultLocale: "ja", locales: ["ar", "ja", "en"] });
      // Kept in one order whatever order they came in.
      expect({ default: after.default_locale, locales: after.locales }).toEqual({ default: "ja", locales: ["en", "ja", "ar"] });
    } finally {
      await h.close();
    }
  });
});

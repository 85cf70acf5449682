import { createServer, get as httpGet, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { markPublicChanged } from "#lib/runtime/microcache/changes.ts";
import { microcachePath, NOT_FOUND_PATH, unknownPaths } from "#lib/runtime/microcache/keys.ts";
import { FRESH_MS, Microcache, type MicrocacheOptions } from "#lib/runtime/microcache/microcache.ts";
import { refreshHeaders, type OriginResponse } from "#lib/runtime/microcache/origin.ts";
import { matchesSecret } from "#lib/runtime/internal-requests.ts";

/*
 * The microcache in a real HTTP server, in front of a scripted origin that
 * stands in for Next (test/integration/microcache.test.ts runs it in front of
 * the real one). Requests it does not answer get status 299 from "Next".
 */
let answers: (() => Promise<OriginResponse>)[] = [];
const asked: string[] = [];
let cache: Microcache;
let server: Server;
let base: string;

function page(body: string, headers: Record<string, string> = {}): () => Promise<OriginResponse> {
  return async () => ({
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, s-maxage=30", date: "x", ...headers },
    body: Buffer.from(body),
  });
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void cache.handle(request, response).then((served) => {
      if (served) return;
      response.writeHead(299);
      response.end("next");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fresh(options: MicrocacheOptions = {}) {
  answers = [];
  asked.length = 0;
  let last: (() => Promise<OriginResponse>) | undefined;
  cache = new Microcache(async (path) => {
    asked.push(path);
    // Background refreshes past the script get its last answer again.
    last = answers.shift() ?? last;
    if (!last) throw new Error(`no scripted answer for ${path}`);
    return last();
  }, options);
}

afterEach(() => vi.restoreAllMocks());

/** What exists, for the keys that carry ids: nothing unless given. */
function ids(known: { incidents?: string[]; components?: string[]; groups?: string[]; historyPages?: number } = {}) {
  return { incidents: [], components: [], groups: [], historyPages: 1, ...known };
}

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${base}${path}`, { headers, method }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));

/** Without fetch's transparent decompression. */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status?: number; encoding?: string; etag?: string; headers: IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    httpGet(`${base}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () =>
        resolve({
          status: response.statusCode,
          encoding: response.headers["content-encoding"],
          etag: response.headers.etag,
          headers: response.headers,
          bytes: Buffer.concat(chunks),
        }),
      );
    }).on("error", reject);
  });
}

describe("which requests the microcache answers", () => {
  const request = (url: string, method = "GET", headers: Record<string, string> = {}) =>
    ({ url, method, headers }) as unknown as IncomingMessage;

  it("takes plain GET and HEAD of the public pages and machine endpoints", () => {
    for (const path of [
      "/",
      "/history",
      "/uptime",
      "/incidents/abcdefghij12",
      "/api/v2/summary.json",
      "/api/v2/status.json",
      "/api/v2/incidents/unresolved.json",
      "/api/v2/incidents/abcdefghij12.json",
      "/api/v2/scheduled-maintenances/upcoming.json",
      "/history.rss",
      "/history.atom",
      "/feed.json",
      "/maintenance.ics",
      "/badge.svg",
      "/components/abcdefghij12/badge.svg",
    ]) {
      expect(microcachePath(request(path))).toBe(path);
    }
    expect(microcachePath(request("/history", "HEAD"))).toBe("/history");
    // /uptime reads its component only; a malformed one is none.
    expect(microcachePath(request("/uptime?month=2026-01"))).toBe("/uptime");
    expect(microcachePath(request("/uptime?component=abcdefghij12&x=1"))).toBe("/uptime?component=abcdefghij12");
    expect(microcachePath(request("/uptime?component=ABC"))).toBe("/uptime");
    expect(microcachePath(request("//api/v2/summary.json"))).toBe("/api/v2/summary.json");
    // Pages keep Next's redirect to their one URL.
    expect(microcachePath(request("//history"))).toBeNull();
  });

  it("keys a query string by the parameters its path reads, validated", () => {
    expect(microcachePath(request("/?page=2&utm=x"))).toBe("/");
    expect(microcachePath(request("/history?component=abcdefghij12&page=3&x=1"))).toBe("/history?page=3&component=abcdefghij12");
    expect(microcachePath(request("/history?page=1&component=ABC"))).toBe("/history");
    expect(microcachePath(request("/history?page=2.5"))).toBe("/history");
    expect(microcachePath(request("/history.atom?component=abcdefghij12"))).toBe("/history.atom?component=abcdefghij12");
    expect(microcachePath(request("/maintenance.ics?component=../x"))).toBe("/maintenance.ics?component=-");
    expect(microcachePath(request("/api/v2/summary.json?callback=show"))).toBe("/api/v2/summary.json");
    expect(microcachePath(request("/badge.svg?style=flat"))).toBe("/badge.svg");
  });

  it("keys each locale's pages under its prefix, with the same validated query; only pages have a prefix", () => {
    expect(microcachePath(request("/de"))).toBe("/de");
    expect(microcachePath(request("/ar/history?component=abcdefghij12&page=3&x=1"))).toBe("/ar/history?page=3&component=abcdefghij12");
    expect(microcachePath(request("/pt-BR/uptime?component=ABC"))).toBe("/pt-BR/uptime");
    expect(microcachePath(request("/ja/incidents/abcdefghij12"))).toBe("/ja/incidents/abcdefghij12");
    expect(microcachePath(request("/ja/incidents/ABC"))).toBe(NOT_FOUND_PATH);
    // Next redirects the trailing slash; a locale has no feeds, badges or API.
    expect(microcachePath(request("/de/"))).toBeNull();
    expect(microcachePath(request("/de/history.rss"))).toBeNull();
    expect(microcachePath(request("/de/api/v2/summary.json"))).toBeNull();
    expect(microcachePath(request("/de/report"))).toBeNull();
  });

  it("keys made-up paths and malformed incident ids as the not-found page", () => {
    const unknown = (path: string) => path.startsWith("/made-up");
    expect(microcachePath(request("/incidents/ABC"))).toBe(NOT_FOUND_PATH);
    expect(microcachePath(request("/api/v2/incidents/ABC.json"))).toBe("/api/v2/incidents/-.json");
    expect(microcachePath(request("/components/ABC/badge.svg?x=1"))).toBe("/components/-/badge.svg");
    expect(microcachePath(request("/made-up/deep?x=1"), unknown)).toBe(NOT_FOUND_PATH);
    expect(microcachePath(request("/made-up", "POST"), unknown)).toBeNull();
    expect(microcachePath(request("/admin"), unknown)).toBeNull();
  });

  it("leaves everything else to Next", () => {
    expect(microcachePath(request("/", "POST"))).toBeNull();
    expect(microcachePath(request("/admin"))).toBeNull();
    expect(microcachePath(request("/api/v2/unknown.json"))).toBeNull();
    expect(microcachePath(request("/api/v2/summaryXjson"))).toBeNull();
    expect(microcachePath(request("/api/v1/incidents"))).toBeNull();
    // The report form: its answer is in the query string, and it closes the moment reports are turned off.
    expect(microcachePath(request("/report"))).toBeNull();
    expect(microcachePath(request("/report?result=sent"))).toBeNull();
  });
});

describe("keys an attacker can choose", () => {
  it("answers a query string from the copy of its path and its validated parameters only", async () => {
    fresh();
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 60_000);
    answers.push(page("<p>home</p>"));
    for (const query of ["?utm=x", "?r=1", "?r=2&page=3", "?", "?a=%ZZ"]) {
      expect(await get(`/${query}`), query).toMatchObject({ status: 200, body: "<p>home</p>" });
    }
    answers.push(page("<p>history 1</p>"));
    for (const query of ["", "?page=1", "?page=0", "?page=x", "?page=99999", "?component=BAD", "?utm=x&page=1"]) {
      expect((await get(`/history${query}`)).body, query).toBe("<p>history 1</p>");
    }
    answers.push(page("<p>history 2</p>"));
    expect((await get("/history?utm=x&component=abcdefghij12&page=2")).body).toBe("<p>history 2</p>");
    expect((await get("/history?page=2&component=abcdefghij12&r=9")).body).toBe("<p>history 2</p>");
    answers.push(page("<rss/>"));
    expect((await get("/history.rss?component=abcdefghij12&utm=1")).body).toBe("<rss/>");
    // Next is asked for the canonical URL, so it renders exactly what the key says.
    expect(asked).toEqual(["/", "/history", "/history?page=2&component=abcdefghij12", "/history.rss?component=abcdefghij12"]);
  });

  it("gives a malformed feed parameter one key, answered by Next's 404, kept", async () => {
    fresh();
    answers.push(async () => ({ status: 404, headers: { "content-type": "application/json" }, body: Buffer.from('{"error":"not_found"}') }));
    expect((await get("/feed.json?component=NOPE")).status).toBe(404);
    expect((await get("/feed.json?component=x")).status).toBe(404);
    expect(asked).toEqual(["/feed.json?component=-"]);
  });

  it("ignores the refresh header without this process's secret", async () => {
    fresh();
    answers.push(page("<p>cached</p>"));
    expect((await get("/")).body).toBe("<p>cached</p>");
    for (const value of ["1", "", "x".repeat(43)]) {
      const forged = await get("/", { "x-candor-microcache-refresh": value });
      expect(forged, value).toMatchObject({ status: 200, body: "<p>cached</p>" });
      expect(forged.headers.get("x-candor-microcache")).toBe("hit");
    }
    expect(asked).toEqual(["/"]);
  });

  it("leaves client navigation, server actions and its own refreshes to Next", async () => {
    fresh();
    answers.push(page("<p>cached</p>"));
    expect((await get("/")).body).toBe("<p>cached</p>");
    for (const headers of [{ rsc: "1" }, { "next-router-prefetch": "1" }, { "next-action": "abc" }, refreshHeaders()]) {
      expect((await get("/", headers)).status, JSON.stringify(headers)).toBe(299);
    }
  });

  it("answers made-up paths and incident ids from one copy of the not-found page, fetched once", async () => {
    let loads = 0;
    fresh({
      unknownPath: (path) => path !== "/admin",
      publicIds: async () => (loads++, ids({ incidents: ["abcdefghij12"] })),
    });
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 60_000);
    const notFound = async () => ({ status: 404, headers: { "content-type": "text/html" }, body: Buffer.from("<h1>Page not found</h1>") });
    answers.push(notFound);
    const paths = ["/x8f3k2", "/a/b/c?d=1", "/incidents/zzzzzzzzzzzz", "/incidents/ABC", "/incidents/zzzzzzzzzzzz/x"];
    for (const path of paths) {
      for (const headers of [{}, { rsc: "1" }] as Record<string, string>[]) {
        expect(await get(path, headers), path).toMatchObject({ status: 404, body: "<h1>Page not found</h1>" });
      }
    }
    expect((await get("/x8f3k2", {}, "HEAD")).status).toBe(404);
    expect(asked).toEqual([NOT_FOUND_PATH]);
    expect(loads).toBe(1);
    // A known incident is its page; a write (a new incident, perhaps) loads the ids again.
    answers.push(page("<p>incident</p>"));
    expect((await get("/incidents/abcdefghij12")).body).toBe("<p>incident</p>");
    markPublicChanged(Date.now() - 60_000);
    answers.push(notFound);
    expect((await get("/incidents/zzzzzzzzzzzz")).status).toBe(404);
    expect(loads).toBe(2);
    expect((await get("/admin")).status).toBe(299);
  });

  it("leaves incident ids to Next while it cannot load them", async () => {
    fresh({ publicIds: () => Promise.reject(new Error("database down")) });
    answers.push(async () => ({ status: 404, headers: {}, body: Buffer.from("next's 404") }));
    expect(await get("/incidents/zzzzzzzzzzzz")).toMatchObject({ status: 404, body: "next's 404" });
    expect(asked).toEqual(["/incidents/zzzzzzzzzzzz"]);
  });

  it("answers made-up component ids, history pages, API incident ids and badges from one key each", async () => {
    fresh({
      publicIds: async () =>
        ids({ incidents: ["abcdefghij12"], components: ["component001"], groups: ["group0000001"], historyPages: 3 }),
    });
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 60_000);
    const random = () => Math.random().toString(36).slice(2, 14).padEnd(12, "0");
    const notFound = (body: string) => async () => ({ status: 404, headers: { "content-type": "application/json" }, body: Buffer.from(body) });

    // In another locale the same, under its prefix.
    answers.push(page("<p>Verlauf</p>"));
    for (let n = 0; n < 3; n++) expect((await get(`/de/history?page=1&component=${random()}`)).body).toBe("<p>Verlauf</p>");
    expect(asked.at(-1)).toBe("/de/history");

    // /history: an unknown component is no filter (as the page reads it); every page past the last is the first empty one.
    answers.push(page("<p>history</p>"));
    for (let n = 0; n < 5; n++) expect((await get(`/history?component=${random()}`)).body).toBe("<p>history</p>");
    answers.push(page("<p>history 3</p>"));
    expect((await get(`/history?page=3&component=${random()}`)).body).toBe("<p>history 3</p>");
    answers.push(page("<p>empty</p>"));
    for (const n of [4, 5, 999, 10_000]) expect((await get(`/history?page=${n}&component=component001`)).body, `page ${n}`).toBe("<p>empty</p>");
    answers.push(page("<p>component history 2</p>"));
    expect((await get("/history?page=2&component=component001")).body).toBe("<p>component history 2</p>");

    // /uptime: an unknown component shows the first, one copy; a known one its own.
    answers.push(page("<p>uptime</p>"));
    for (let n = 0; n < 3; n++) expect((await get(`/uptime?component=${random()}`)).body).toBe("<p>uptime</p>");
    answers.push(page("<p>component uptime</p>"));
    expect((await get("/uptime?component=component001")).body).toBe("<p>component uptime</p>");

    // A feed of an unknown component, an unknown incident's JSON and an unknown badge: Next's 404 for one canonical key, kept.
    answers.push(notFound('{"error":"not_found","message":"No such component"}'));
    for (let n = 0; n < 3; n++) expect((await get(`/history.rss?component=${random()}`)).status).toBe(404);
    expect((await get("/history.rss?component=NOPE")).status).toBe(404);
    answers.push(notFound('{"error":"not_found"}'));
    for (const id of [random(), random(), "ABC", "-"]) expect((await get(`/api/v2/incidents/${id}.json`)).status, id).toBe(404);
    answers.push(notFound('{"error":"not_found","message":"No such component"}'));
    for (const id of [random(), random(), "ABC"]) expect((await get(`/components/${id}/badge.svg`)).status, id).toBe(404);
    // Known ones are their own copies: a component's badge, a group's, an incident's JSON, a component's feed.
    answers.push(page("<svg>component</svg>"), page("<svg>group</svg>"), page("{}"), page("[]"), page("<rss/>"));
    expect((await get("/components/component001/badge.svg?style=x")).body).toBe("<svg>component</svg>");
    expect((await get("/components/group0000001/badge.svg")).body).toBe("<svg>group</svg>");
    expect((await get("/api/v2/incidents/abcdefghij12.json")).body).toBe("{}");
    expect((await get("/api/v2/incidents/unresolved.json")).body).toBe("[]");
    expect((await get("/history.rss?component=component001")).body).toBe("<rss/>");

    expect(asked).toEqual([
      "/de/history",
      "/history",
      "/history?page=3",
      "/history?page=4&component=component001",
      "/history?page=2&component=component001",
      "/uptime",
      "/uptime?component=component001",
      "/history.rss?component=-",
      "/api/v2/incidents/-.json",
      "/components/-/badge.svg",
      "/components/component001/badge.svg",
      "/components/group0000001/badge.svg",
      "/api/v2/incidents/abcdefghij12.json",
      "/api/v2/incidents/unresolved.json",
      "/history.rss?component=component001",
    ]);
  });

  it("classifies a percent-encoded path as Next routes it: routes by the path as sent, ids and files decoded", async () => {
    const build = mkdtempSync(join(tmpdir(), "candor-microcache-"));
    try {
      // The shape of the build's routes manifest (next build): static routes, then dynamic ones in Next's order.
      const route = (page: string, regex: string) => ({ page, regex });
      writeFileSync(
        join(build, "routes-manifest.json"),
        JSON.stringify({
          staticRoutes: [route("/admin", "^/admin(?:/)?$"), route("/_not-found", "^/_not\\-found(?:/)?$")],
          dynamicRoutes: [
            route("/api/v2/[[...path]]", "^/api/v2(?:/(.+?))?(?:/)?$"),
            route("/components/[id]/badge.svg", "^/components/([^/]+?)/badge\\.svg(?:/)?$"),
            route("/[locale]/history", "^/([^/]+?)/history(?:/)?$"),
            route("/en/incidents/[id]", "^/en/incidents/([^/]+?)(?:/)?$"),
            route("/[locale]/incidents/[id]", "^/([^/]+?)/incidents/([^/]+?)(?:/)?$"),
            route("/en/[[...slug]]", "^/en(?:/(.+?))?(?:/)?$"),
            route("/[locale]/[[...slug]]", "^/([^/]+?)(?:/(.+?))?(?:/)?$"),
          ],
        }),
      );
      mkdirSync(join(build, "static", "chunks"), { recursive: true });
      writeFileSync(join(build, "static", "chunks", "a.css"), "");
      const unknown = unknownPaths(build, join(build, "public"));
      // Next matches `/%68istory` against no static route (a 404 it renders and writes to disk), but serves `/_next/static/chunks/%61.css`.
      for (const path of ["/%61bc", "/%68istory", "/%61dmin", "/%2561bc", "/a%2Fb", "/x%3Fy", "/de/%68istory", "/xx/history", "/en/abc", "/de/abc"]) {
        expect(unknown(path), path).toBe(true);
      }
      for (const path of ["/_next/static/chunks/%61.css", "/api/v2/%73ummary.json", "/history", "/incidents/%61", "/de", "/de/history", "/en/history", "/ar/incidents/%61"]) {
        expect(unknown(path), path).toBe(false);
      }

      fresh({ unknownPath: unknown, publicIds: async () => ids({ incidents: ["abcdefghij12"], components: ["component001"] }) });
      vi.spyOn(Date, "now").mockReturnValue(Date.now() + 60_000);
      answers.push(async () => ({ status: 404, headers: { "content-type": "text/html" }, body: Buffer.from("<h1>Page not found</h1>") }));
      for (const path of ["/%61bc", "/%68istory", "/%2561bc", "/a%2Fb", "/incidents/%7a%7a%7a%7a%7a%7a%7a%7a%7a%7a%7a%7a", "/incidents/%41"]) {
        expect(await get(path), path).toMatchObject({ status: 404, body: "<h1>Page not found</h1>" });
      }
      answers.push(page("<p>incident</p>"), page("<svg/>"), page("{}"));
      expect((await get("/incidents/%61bcdefghij12")).body).toBe("<p>incident</p>");
      expect((await get("/components/%63omponent001/badge.svg")).body).toBe("<svg/>");
      expect((await get("/api/v2/%73ummary.json")).body).toBe("{}");
      expect((await get("/_next/static/chunks/%61.css")).status).toBe(299);
      expect(asked).toEqual([NOT_FOUND_PATH, "/incidents/abcdefghij12", "/components/component001/badge.svg", "/api/v2/summary.json"]);
    } finally {
      rmSync(build, { recursive: true, force: true });
    }
  });

  it("keeps a copy that is read while hundreds of other keys come and go", async () => {
    fresh();
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + 60_000);
    answers.push(page("<p>hot</p>"));
    expect((await get("/")).body).toBe("<p>hot</p>");
    answers.push(page("<p>other</p>"));
    for (let n = 0; n < 500; n++) {
      await get(`/incidents/${String(n).padStart(12, "0")}`);
      if (n % 100 === 0) expect((await get("/")).body).toBe("<p>hot</p>");
    }
    expect(asked.filter((path) => path === "/")).toHaveLength(1);
  });
});

describe("matchesSecret", () => {
  it("takes only the exact secret, given once", () => {
    expect(matchesSecret("s3cret", "s3cret")).toBe(true);
    for (const given of ["s3creT", "s3cre", "s3cret ", "", null, undefined, ["s3cret"]]) expect(matchesSecret(given, "s3cret"), String(given)).toBe(false);
    expect(matchesSecret("", "")).toBe(false);
    expect(matchesSecret("x", undefined)).toBe(false);
  });
});

describe("Microcache", () => {
  it("answers from one fetch until the copy is FRESH_MS old, with Next's headers and its own ETag", async () => {
    fresh();
    // A clock that stands still, well after any write another test marked.
    const now = Date.now() + 60_000;
    vi.spyOn(Date, "now").mockReturnValue(now);
    answers.push(page("<p>one</p>"));
    const first = await get("/");
    expect(first).toMatchObject({ status: 200, body: "<p>one</p>" });
    expect(first.headers.get("cache-control")).toBe("public, s-maxage=30");
    expect(first.headers.get("x-candor-microcache")).toBe("miss");
    expect(first.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("vary")).toMatch(/Accept-Encoding/);
    for (let i = 0; i < 5; i++) expect((await get("/")).body).toBe("<p>one</p>");
    expect((await get("/")).headers.get("x-candor-microcache")).toBe("hit");
    expect(asked).toEqual(["/"]);

    // Past FRESH_MS the old copy is served once more while the new one is fetched.
    vi.spyOn(Date, "now").mockReturnValue(now + FRESH_MS + 10);
    answers.push(page("<p>two</p>"));
    expect((await get("/")).body).toBe("<p>one</p>");
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    await vi.waitFor(async () => expect((await get("/")).body).toBe("<p>two</p>"));
  });

  it("says hit only when it answered from a copy it already had", async () => {
    fresh();
    const now = Date.now() + 60_000;
    vi.spyOn(Date, "now").mockReturnValue(now);
    answers.push(page("<p>one</p>"));
    const state = async (path: string) => (await get(path)).headers.get("x-candor-microcache");
    expect(await state("/")).toBe("miss");
    expect(await state("/?r=1")).toBe("hit");
    expect(await state("/history")).toBe("miss");
    expect(await state("/history")).toBe("hit");
    expect(asked).toEqual(["/", "/history"]);
    // After a write, the request that waits for the new copy is a miss; the old copy served because Next failed is stale.
    markPublicChanged(now);
    answers.push(page("<p>two</p>"));
    expect(await state("/")).toBe("miss");
    markPublicChanged(now);
    answers.push(async () => ({ status: 500, headers: {}, body: Buffer.from("boom") }));
    const kept = await get("/");
    expect(kept.body).toBe("<p>two</p>");
    expect(kept.headers.get("x-candor-microcache")).toBe("stale");
  });

  it("adds HSTS for a request a proxy says came over https, and keeps none in the copy", async () => {
    fresh();
    answers.push(page("<p>one</p>"));
    const hsts = async (headers: Record<string, string>) => (await get("/", headers)).headers.get("strict-transport-security");
    expect(await hsts({ "x-forwarded-proto": "https" })).toMatch(/^max-age=\d{7,}/);
    expect(await hsts({})).toBeNull();
    expect(await hsts({ "x-forwarded-proto": "http" })).toBeNull();
    expect(await hsts({ "x-forwarded-proto": "HTTPS, http" })).toMatch(/^max-age=/);
    expect(await hsts({ "x-forwarded-proto": "http, https" })).toBeNull();
    expect((await rawGet("/", { "x-forwarded-proto": "https", "accept-encoding": "gzip" })).headers["strict-transport-security"]).toMatch(/^max-age=/);
    // What Next gives everyone (PUBLIC_URL https at build time) stays as Next gave it.
    fresh();
    answers.push(page("<p>one</p>", { "strict-transport-security": "max-age=63072000" }));
    expect(await hsts({})).toBe("max-age=63072000");
    expect(await hsts({ "x-forwarded-proto": "https" })).toBe("max-age=63072000");
  });

  it("coalesces concurrent first requests into one fetch", async () => {
    fresh();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    answers.push(async () => {
      await gate;
      return page("<p>slow</p>")();
    });
    const all = Promise.all(Array.from({ length: 20 }, () => get("/history")));
    await vi.waitFor(() => expect(asked).toHaveLength(1));
    release();
    const bodies = (await all).map((r) => r.body);
    expect(new Set(bodies)).toEqual(new Set(["<p>slow</p>"]));
    expect(asked).toEqual(["/history"]);
  });

  it("fetches again before answering once a write marked public data changed", async () => {
    fresh();
    answers.push(page("<p>before</p>"));
    expect((await get("/")).body).toBe("<p>before</p>");
    markPublicChanged();
    answers.push(page("<p>after</p>"));
    expect((await get("/")).body).toBe("<p>after</p>");
    expect(asked).toHaveLength(2);
  });

  it("answers 304 to a matching If-None-Match, gzip when asked for, and no body to HEAD", async () => {
    fresh();
    const html = `<p>${"status ".repeat(500)}</p>`;
    answers.push(page(html));
    const plain = await fetch(`${base}/`, { headers: { "accept-encoding": "identity" } });
    const etag = plain.headers.get("etag")!;
    expect(await plain.text()).toBe(html);
    expect(plain.headers.get("content-encoding")).toBeNull();

    const notModified = await rawGet("/", { "if-none-match": `W/${etag}` });
    expect(notModified.status).toBe(304);
    expect(notModified.bytes.length).toBe(0);

    const gzipped = await rawGet("/", { "accept-encoding": "br, gzip" });
    expect(gzipped.encoding).toBe("gzip");
    expect(gzipped.bytes.length).toBeLessThan(html.length);
    expect(gunzipSync(gzipped.bytes).toString()).toBe(html);
    const refused = (await rawGet("/", { "accept-encoding": "gzip;q=0" })).encoding;
    expect(refused).toBeUndefined();

    const gzipEtag = (await rawGet("/", { "accept-encoding": "gzip" })).etag!;
    expect(gzipEtag).not.toBe(etag);
    expect((await rawGet("/", { "accept-encoding": "gzip", "if-none-match": gzipEtag })).status).toBe(304);
    expect((await rawGet("/", { "if-none-match": gzipEtag })).status).toBe(200);
    expect((await rawGet("/", { "accept-encoding": "gzip;q=0, *" })).encoding).toBeUndefined();
    expect((await rawGet("/", { "accept-encoding": "*" })).encoding).toBe("gzip");

    const head = await get("/", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("keeps serving the last good copy while Next fails, and hands over to Next when it never had one", async () => {
    fresh();
    answers.push(page("<p>good</p>"));
    expect((await get("/")).body).toBe("<p>good</p>");
    markPublicChanged();
    answers.push(async () => ({ status: 500, headers: {}, body: Buffer.from("boom") }));
    expect(await get("/")).toMatchObject({ status: 200, body: "<p>good</p>" });
    markPublicChanged();
    answers.push(async () => {
      throw new Error("connection refused");
    });
    expect(await get("/")).toMatchObject({ status: 200, body: "<p>good</p>" });

    // Without a copy, Next's own error answers the requests that waited for it (no second render).
    answers.push(async () => ({ status: 503, headers: {}, body: Buffer.from("down") }));
    expect(await get("/history")).toMatchObject({ status: 503, body: "down" });
    answers.push(async () => {
      throw new Error("connection refused");
    });
    expect(await get("/incidents/abcdefghij12")).toMatchObject({ status: 299, body: "next" });
  });

  it("serves the copy it has when Next is slower than its patience", async () => {
    fresh();
    answers.push(page("<p>before</p>"));
    expect((await get("/")).body).toBe("<p>before</p>");
    markPublicChanged();
    answers.push(() => new Promise<OriginResponse>(() => {}));
    const started = Date.now();
    expect((await get("/")).body).toBe("<p>before</p>");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("passes a 404 on without keeping it, and never shares a response that sets a cookie", async () => {
    fresh();
    answers.push(async () => ({ status: 404, headers: { "content-type": "text/html" }, body: Buffer.from("gone") }));
    answers.push(async () => ({ status: 404, headers: { "content-type": "text/html" }, body: Buffer.from("gone") }));
    answers.push(page("<p>cookie</p>", { "set-cookie": "a=b" }));
    expect(await get("/incidents/abcdefghij12")).toMatchObject({ status: 404, body: "gone" });
    expect(await get("/incidents/abcdefghij12")).toMatchObject({ status: 404, body: "gone" });
    expect((await get("/incidents/abcdefghij12")).status).toBe(299);
    expect(asked).toHaveLength(3);
  });

  it("stops serving a page that became a 404", async () => {
    fresh();
    answers.push(page("<p>incident</p>"));
    expect((await get("/incidents/abcdefghij12")).body).toBe("<p>incident</p>");
    markPublicChanged();
    answers.push(async () => ({ status: 404, headers: {}, body: Buffer.from("gone") }));
    expect((await get("/incidents/abcdefghij12")).status).toBe(404);
  });
});

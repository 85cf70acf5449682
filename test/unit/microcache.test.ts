import { createServer, get as httpGet, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { FRESH_MS, markPublicChanged, Microcache, microcachePath, type OriginResponse } from "../../lib/microcache.ts";

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
    const path = microcachePath(request);
    void (path ? cache.serve(path, request, response) : Promise.resolve(false)).then((served) => {
      if (served) return;
      response.writeHead(299);
      response.end("next");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function fresh() {
  answers = [];
  asked.length = 0;
  let last: (() => Promise<OriginResponse>) | undefined;
  cache = new Microcache(async (path) => {
    asked.push(path);
    // Background refreshes past the script get its last answer again.
    last = answers.shift() ?? last;
    if (!last) throw new Error(`no scripted answer for ${path}`);
    return last();
  });
}

afterEach(() => vi.restoreAllMocks());

const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
  fetch(`${base}${path}`, { headers, method }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() }));

/** Without fetch's transparent decompression. */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status?: number; encoding?: string; etag?: string; bytes: Buffer }>((resolve, reject) => {
    httpGet(`${base}${path}`, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () =>
        resolve({
          status: response.statusCode,
          encoding: response.headers["content-encoding"],
          etag: response.headers.etag,
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
    ]) {
      expect(microcachePath(request(path))).toBe(path);
    }
    expect(microcachePath(request("/history", "HEAD"))).toBe("/history");
    expect(microcachePath(request("//api/v2/summary.json"))).toBe("/api/v2/summary.json");
    // Pages keep Next's redirect to their one URL.
    expect(microcachePath(request("//history"))).toBeNull();
  });

  it("leaves everything else to Next", () => {
    expect(microcachePath(request("/", "POST"))).toBeNull();
    expect(microcachePath(request("/?page=2"))).toBeNull();
    expect(microcachePath(request("/history?component=abcdefghij12"))).toBeNull();
    expect(microcachePath(request("/incidents/ABC"))).toBeNull();
    expect(microcachePath(request("/admin"))).toBeNull();
    expect(microcachePath(request("/api/v2/summary.json?callback=show"))).toBeNull();
    expect(microcachePath(request("/api/v2/unknown.json"))).toBeNull();
    expect(microcachePath(request("/api/v2/summaryXjson"))).toBeNull();
    expect(microcachePath(request("/api/v1/incidents"))).toBeNull();
    expect(microcachePath(request("/badge.svg?style=flat"))).toBeNull();
    expect(microcachePath(request("/", "GET", { rsc: "1" }))).toBeNull();
    expect(microcachePath(request("/", "GET", { "next-router-prefetch": "1" }))).toBeNull();
    expect(microcachePath(request("/", "GET", { "next-action": "abc" }))).toBeNull();
    expect(microcachePath(request("/", "GET", { "x-candor-microcache-refresh": "1" }))).toBeNull();
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
    expect(first.headers.get("x-candor-microcache")).toBe("hit");
    expect(first.headers.get("etag")).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("vary")).toMatch(/Accept-Encoding/);
    for (let i = 0; i < 5; i++) expect((await get("/")).body).toBe("<p>one</p>");
    expect(asked).toEqual(["/"]);

    // Past FRESH_MS the old copy is served once more while the new one is fetched.
    vi.spyOn(Date, "now").mockReturnValue(now + FRESH_MS + 10);
    answers.push(page("<p>two</p>"));
    expect((await get("/")).body).toBe("<p>one</p>");
    await vi.waitFor(() => expect(asked).toHaveLength(2));
    await vi.waitFor(async () => expect((await get("/")).body).toBe("<p>two</p>"));
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

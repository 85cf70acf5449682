import { randomBytes } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

/*
 * Floods of addresses a client makes up (hardening findings 7, 8 and 12):
 * random paths (percent-encoded too) and incident ids answer the one
 * not-found page without Next rendering them or writing them into its route
 * cache on disk; made-up component ids, history pages, API incident ids and
 * badges, and query strings the pages do not read, are answered from one
 * copy each. `x-candor-microcache: hit` says an answer came from a copy the
 * microcache already had, without asking Next. Real production server,
 * embedded database with demo data.
 */
const distDir = resolve(import.meta.dirname, "../..", process.env.NEXT_DIST_DIR || ".next-test");

/** Files and bytes under the build's server directory, where Next writes rendered pages. */
function serverFiles(): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        files++;
        bytes += statSync(path).size;
      }
    }
  };
  walk(join(distDir, "server"));
  return { files, bytes };
}

const random = (length: number) => randomBytes(length).toString("hex").slice(0, length);

describe("floods of made-up addresses", () => {
  let server: NextServer;
  let incident: string;
  let component: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        incident = (await db.selectFrom("incidents").select("id").executeTakeFirstOrThrow()).id;
        component = (await db.selectFrom("components").select("id").where("archived_at", "is", null).executeTakeFirstOrThrow()).id;
      },
    });
  });

  afterAll(() => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      body: await r.text(),
    }));

  it("answers random paths and incident ids with the not-found page and writes nothing to disk", async () => {
    const shapes = [
      () => `/${random(6)}`,
      () => `/incidents/${random(12)}`,
      () => `/incidents/${random(5).toUpperCase()}`,
      () => `/${random(4)}/${random(4)}/${random(4)}`,
      () => `/incidents/${random(12)}/${random(3)}`,
      () => `/_next/static/${random(8)}.js`,
      () => `/%61${random(6)}`,
      () => `/%2561${random(6)}`,
      () => `/${random(3)}%2F${random(3)}`,
      () => `/incidents/%7a${random(11)}`,
    ];
    // Warm up: whatever Next writes once (its own not-found page) is not growth.
    for (const shape of shapes) expect((await get(shape())).status).toBe(404);
    const before = serverFiles();
    const paths = Array.from({ length: 300 }, (_, i) => shapes[i % shapes.length]());
    const started = Date.now();
    const answers: { path: string; status: number; headers: Headers; body: string }[] = [];
    for (let i = 0; i < paths.length; i += 10) {
      const batch = paths.slice(i, i + 10);
      // Some as a client-side navigation would ask (RSC), which the microcache otherwise leaves to Next.
      answers.push(...(await Promise.all(batch.map(async (path, j) => ({ path, ...(await get(path, j % 3 === 0 ? { rsc: "1" } : {})) })))));
    }
    const elapsed = Date.now() - started;
    const after = serverFiles();
    console.log(`[measure] ${paths.length} made-up paths in ${elapsed} ms; files under server/: ${before.files} → ${after.files}, bytes ${before.bytes} → ${after.bytes}`);
    for (const answer of answers) {
      expect(answer.status, answer.path).toBe(404);
      expect(answer.body, answer.path).toContain("Page not found");
      expect(answer.headers.get("x-candor-microcache"), answer.path).toBe("hit");
    }
    expect(after.files, "files written under the build's server directory").toBe(before.files);
    expect(after.bytes).toBe(before.bytes);
    // A real incident is still its page.
    expect((await get(`/incidents/${incident}`)).status).toBe(200);
  }, 120_000);

  it("answers made-up component ids, history pages, API incident ids and badges from one copy each", async () => {
    const shapes: [string, () => string, number][] = [
      ["history of an unknown component", () => `/history?component=${random(12)}`, 200],
      ["history pages past the last", () => `/history?page=${100 + Math.floor(Math.random() * 9000)}`, 200],
      ["a feed of an unknown component", () => `/history.atom?component=${random(12)}`, 404],
      ["the calendar of an unknown component", () => `/maintenance.ics?component=${random(12)}`, 404],
      ["an unknown incident's JSON", () => `/api/v2/incidents/${random(12)}.json`, 404],
      ["an unknown component's badge", () => `/components/${random(12)}/badge.svg`, 404],
    ];
    const before = serverFiles();
    for (const [name, shape, status] of shapes) {
      // The first may be the one that fetched the copy.
      expect((await get(shape())).status, name).toBe(status);
      const fetched: string[] = [];
      for (let n = 0; n < 20; n++) {
        const path = shape();
        const answer = await get(path);
        expect(answer.status, path).toBe(status);
        if (answer.headers.get("x-candor-microcache") !== "hit") fetched.push(path);
      }
      // One copy for them all: a background change (the clock, a refresh) may refetch it once, never one per path.
      expect(fetched.length, `${name}: not from the copy: ${fetched.join(" ")}`).toBeLessThanOrEqual(2);
    }
    expect(serverFiles().files).toBe(before.files);
    // Real ones are their own copies.
    for (const path of [`/history?component=${component}`, `/history.atom?component=${component}`, `/components/${component}/badge.svg`, `/api/v2/incidents/${incident}.json`]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("x-candor-microcache"), path).toMatch(/^(hit|miss)$/);
      expect((await get(path)).headers.get("x-candor-microcache"), path).toBe("hit");
    }
  }, 60_000);

  it("answers / with a query string it does not read from the copy of /", async () => {
    await get(`/?r=${random(8)}`);
    for (const query of ["?utm=x", `?r=${random(8)}`]) {
      const answer = await get(`/${query}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("x-candor-microcache"), query).toBe("hit");
    }
    for (let n = 0; n < 50; n++) await get(`/?r=${random(12)}`);
    expect((await get("/")).headers.get("x-candor-microcache")).toBe("hit");
  });

  it("serves a client that sends the internal refresh header from the microcache like anyone", async () => {
    const answer = await get("/", { "x-candor-microcache-refresh": "1" });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-candor-microcache")).toBe("hit");
  });
});

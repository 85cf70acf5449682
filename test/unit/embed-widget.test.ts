import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { microcachePath } from "#lib/runtime/microcache/keys.ts";

const root = resolve(import.meta.dirname, "../..");
/* The widget's budget, gzipped as a CDN or the microcache sends it. */
const BUDGET_BYTES = 5 * 1024;

describe("the in-app widget script", () => {
  it(`stays within ${BUDGET_BYTES} bytes gzipped`, () => {
    const source = readFileSync(join(root, "public/embed.js"));
    const gzipped = gzipSync(source, { level: 9 }).length;
    console.log(`public/embed.js: ${source.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_BYTES})`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("is ASCII only, read the same whatever charset the host page decodes it with", () => {
    for (const file of ["public/embed.js", "public/embed/script.js"]) expect(readFileSync(join(root, file), "utf8"), file).toMatch(/^[\x00-\x7f]*$/);
  });

  it("loads nothing but its own page's JSON, and writes no HTML from data", () => {
    const source = readFileSync(join(root, "public/embed.js"), "utf8");
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect([...source.matchAll(/fetch\(([^,)]+)/g)].map((m) => m[1])).toEqual(['base + "/embed/status.json"']);
    expect(source).toContain('attachShadow({ mode: "closed" })');
  });
});

describe("the embed's microcache keys", () => {
  const request = (url: string) => ({ url, method: "GET", headers: {} }) as unknown as IncomingMessage;
  it("keeps one copy per path, the frame's layout its only query", () => {
    expect(microcachePath(request("/embed/status.json?cache-buster=1"))).toBe("/embed/status.json");
    expect(microcachePath(request("/embed.js?v=2"))).toBe("/embed.js");
    expect(microcachePath(request("/embed/script.js"))).toBe("/embed/script.js");
    expect(microcachePath(request("/embed/frame?utm=x&mobile=true"))).toBe("/embed/frame?mobile=true");
    expect(microcachePath(request("/embed/frame?mobile=yes"))).toBe("/embed/frame");
    expect(microcachePath(request("/embed/other"))).toBeNull();
  });
});

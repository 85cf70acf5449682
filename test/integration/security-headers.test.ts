/*
 * Security headers on the real production server (server.ts, the build in
 * NEXT_DIST_DIR, demo data in an embedded database): on the status page and
 * an incident page (also when the microcache answers), sign-in, an API
 * response and a feed. The public pages carry a static policy (they are
 * cached); the admin area a nonce per request that is on its scripts. HSTS
 * only where the request came over https through a trusted proxy, also on
 * the microcache's copies.
 *
 * And the page's URL settings take http(s) only: javascript:, data: and the
 * like are refused naming the field, and nothing changes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { AppError } from "#lib/core/errors.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

describe("security headers", () => {
  let server: NextServer;
  let incidentId: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off", TRUSTED_PROXIES: "127.0.0.1" },
      async prepare(db) {
        await seedDemo(db);
        incidentId = (await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
      },
    });
  }, 120_000);

  afterAll(() => server?.stop());

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${path}`, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  /** The policy's directives by name. */
  function policy(value: string | null): Map<string, string> {
    expect(value).toBeTruthy();
    return new Map(value!.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(" ")]));
  }

  function expectCommonHeaders(headers: Headers, path: string) {
    expect(headers.get("x-content-type-options"), path).toBe("nosniff");
    expect(headers.get("referrer-policy"), path).toBe("same-origin");
    expect(headers.get("x-frame-options"), path).toBe("DENY");
    const csp = policy(headers.get("content-security-policy"));
    expect(csp.get("frame-ancestors"), path).toBe("'none'");
    expect(csp.get("object-src"), path).toBe("'none'");
    expect(csp.get("base-uri"), path).toBe("'none'");
    expect(csp.get("form-action"), path).toBe("'self'");
    expect(csp.get("default-src"), path).toBe("'self'");
    return csp;
  }

  it("public pages, API and feeds: the static policy, also from the microcache", async () => {
    for (const path of ["/", `/incidents/${incidentId}`, "/history", "/api/v2/summary.json", "/history.rss"]) {
      for (let i = 0; i < 2; i++) {
        const response = await get(path);
        expect(response.status, path).toBe(200);
        const csp = expectCommonHeaders(response.headers, path);
        // No nonce: the same bytes go to everyone.
        expect(csp.get("script-src"), path).toBe("'self' 'unsafe-inline'");
        expect(response.headers.get("strict-transport-security"), path).toBeNull();
      }
    }
    // The second read of / came from the microcache, with the same headers.
    expect((await get("/")).headers.get("x-candor-microcache")).toBe("hit");
  });

  it("admin: a fresh nonce per request, on every script of the page", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const response = await get("/admin/sign-in");
      expect(response.status).toBe(200);
      const csp = expectCommonHeaders(response.headers, "/admin/sign-in");
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp.get("script-src")!)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp.get("script-src")).toContain("'strict-dynamic'");
      expect(csp.get("script-src")).not.toContain("unsafe-inline");
      const scripts = response.body.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.add(nonce!);
    }
    expect(nonces.size).toBe(2);
    // The gate's redirect for a signed-out visitor carries the headers too.
    const gate = await get("/admin");
    expect(gate.status).toBe(307);
    expect(gate.headers.get("x-frame-options")).toBe("DENY");
  });

  it("HSTS only when a trusted proxy says the request came over https", async () => {
    const https = { "x-forwarded-proto": "https", "x-forwarded-host": "status.example.test" };
    const hsts = new Set<string | null>();
    // Paths Next answers itself.
    for (const path of ["/admin/sign-in", "/subscribe", "/api/v1/openapi.json"]) {
      const secure = await get(path, https);
      expect(secure.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}/);
      hsts.add(secure.headers.get("strict-transport-security"));
      expect((await get(path, { "x-forwarded-proto": "http" })).headers.get("strict-transport-security"), path).toBeNull();
    }
    // Paths the microcache answers: one copy for http and https readers, HSTS added per request (the second read is a hit).
    for (const path of ["/", "/history", `/incidents/${incidentId}`, "/api/v2/summary.json", "/history.rss", "/made-up-path"]) {
      for (let i = 0; i < 2; i++) {
        const secure = await get(path, https);
        expect(secure.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}/);
        hsts.add(secure.headers.get("strict-transport-security"));
        expect((await get(path)).headers.get("strict-transport-security"), path).toBeNull();
        expect((await get(path, { "x-forwarded-proto": "http" })).headers.get("strict-transport-security"), path).toBeNull();
      }
      expect((await get(path, https)).headers.get("x-candor-microcache"), path).toBe("hit");
    }
    // The same policy as Next's (next.config.mjs).
    expect(hsts.size).toBe(1);
  });
});

describe("URL settings take http(s) only", () => {
  const HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "  javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.test/",
  ];
  const FIELDS = ["url", "supportUrl", "logoUrl"] as const;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "candor-url-settings-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses javascript:, data: and other schemes in every URL setting, naming the field, and changes nothing", async () => {
    const handle = await openDatabase({ dataDir: join(dir, "pglite"), url: "" });
    try {
      const valid = { name: "Acme", url: "https://status.acme.test", supportUrl: "https://acme.test/help", logoUrl: "http://acme.test/logo.png" };
      await updatePageSettings(handle.db, systemActor, valid);
      const before = await getPage(handle.db);
      for (const field of FIELDS) {
        for (const hostile of HOSTILE) {
          const error = await updatePageSettings(handle.db, systemActor, { ...valid, [field]: hostile }).catch((e: unknown) => e);
          expect(error, `${field} = ${hostile}`).toMatchObject({ code: "invalid_input" });
          expect((error as AppError).issues.map((i) => i.field), `${field} = ${hostile}`).toEqual([field]);
          expect((error as AppError).message).toMatch(/http/);
        }
      }
      expect(await getPage(handle.db)).toEqual(before);
    } finally {
      await handle.close();
    }
  });
});

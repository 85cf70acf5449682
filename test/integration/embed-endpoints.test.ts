/*
 * The embed's endpoints on the real production server (server.ts, the
 * microcache in front of Next) over the demo data: the widget's body
 * (/embed/status.json) readable from any origin, revalidated by ETag,
 * cacheable, public data only, changed by a posted update; the scripts
 * cached for an hour; the Statuspage-compatible frame framable by any site
 * while every other page still refuses to be framed.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { updatePageSettings } from "#lib/domain/page-settings.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

const SENDER = "comms.private@acme-internal.test";

describe("embed endpoints", () => {
  let server: NextServer;
  let token: string;
  let active: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        await updatePageSettings(db, systemActor, { name: "Acme", url: "https://status.acme.test", senderEmail: SENDER });
        token = (await createApiKey(db, systemActor, { name: "embed test", scope: "write" })).token;
        active = (await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
      },
    });
  }, 180_000);
  afterAll(() => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers: { origin: "https://app.customer.test", ...headers }, signal: AbortSignal.timeout(15_000) });

  it("serves the widget's body to any origin, from the microcache, with an ETag that answers 304", async () => {
    const response = await get("/embed/status.json");
    expect(response.status).toBe(200);
    const h = response.headers;
    expect(h.get("content-type")).toBe("application/json; charset=utf-8");
    expect(h.get("access-control-allow-origin")).toBe("*");
    expect(h.get("access-control-expose-headers")).toMatch(/etag/i);
    expect(h.get("cache-control")).toMatch(/s-maxage=\d+.*stale-while-revalidate=\d+.*stale-if-error=\d+/);
    expect(h.get("x-candor-microcache")).toMatch(/^(hit|miss)$/);
    expect(h.get("set-cookie")).toBeNull();
    const etag = h.get("etag")!;
    expect(etag).toMatch(/^"[^"]+"$/);
    const body = await response.json();
    expect(Object.keys(body)).toEqual(["page", "incidents", "maintenances"]);
    expect(body.incidents.length).toBeGreaterThan(0);
    for (const item of [...body.incidents, ...body.maintenances]) {
      expect(Object.keys(item)).toEqual(["id", "kind", "name", "status", "status_label", "impact", "latest_update_at", "url", "component_ids"]);
      expect(item.url).toBe(`https://status.acme.test/incidents/${item.id}`);
    }
    const text = JSON.stringify(body);
    for (const secret of [SENDER, "SEV-", "severity", "token", "author"]) expect(text).not.toContain(secret);

    const again = await get("/embed/status.json", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.headers.get("access-control-allow-origin")).toBe("*");
    expect(await again.text()).toBe("");
    // gzip is its own representation, with its own ETag.
    const gzip = await fetch(`${server.url}/embed/status.json`, { headers: { "accept-encoding": "gzip" } });
    expect(gzip.headers.get("content-encoding")).toBe("gzip");
    // fetch decompresses it.
    expect(await gzip.json()).toEqual(body);
    expect((await get("/embed/status.json", { "if-none-match": gzip.headers.get("etag")!, "accept-encoding": "gzip" })).status).toBe(304);
    // HEAD and made-up query strings are the same copy.
    const head = await fetch(`${server.url}/embed/status.json?x=${Math.random()}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
  });

  it("a posted update changes the body and its ETag", async () => {
    const before = await (await get("/embed/status.json")).json();
    const was = before.incidents.find((i: { id: string }) => i.id === active);
    const posted = await fetch(`${server.url}/api/v1/incidents/${active}/updates`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "monitoring", body: "Embed test: monitoring.", notify: false }),
    });
    expect(posted.status).toBe(201);
    const deadline = Date.now() + 10_000;
    let now = was;
    while (now.latest_update_at === was.latest_update_at && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      now = (await (await get("/embed/status.json")).json()).incidents.find((i: { id: string }) => i.id === active);
    }
    expect(now.latest_update_at > was.latest_update_at).toBe(true);
    expect(now.status).toBe("monitoring");
  });

  it("serves the scripts as JavaScript, cached for an hour, revalidated by ETag", async () => {
    for (const path of ["/embed.js", "/embed/script.js"]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type"), path).toMatch(/^(application|text)\/javascript/);
      expect(response.headers.get("cache-control"), path).toMatch(/^public, max-age=3600,.*stale-while-revalidate=\d+/);
      const etag = response.headers.get("etag");
      expect(etag, path).toMatch(/^"[^"]+"$/);
      expect(await response.text(), path).toContain("(");
      expect((await get(path, { "if-none-match": etag! })).status, path).toBe(304);
    }
  });

  it("the frame speaks the locale asked for, one copy per locale; an unknown locale is the page's default", async () => {
    const german = await get("/embed/frame?locale=de");
    expect(german.status).toBe(200);
    const html = await german.text();
    expect(html).toContain('<html lang="de" dir="ltr">');
    expect(html).toMatch(/aria-label="Schließen: [^"]+"/);
    expect(html).toContain("aktualisiert <time");
    const arabic = await (await get("/embed/frame?locale=ar&mobile=true")).text();
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain("padding-inline:16px 48px");
    expect(arabic).toContain('data-title="حالة الخدمة"');
    // The same copy, whatever else the query says; an unknown locale is no locale.
    expect((await get("/embed/frame?x=1&locale=de")).headers.get("etag")).toBe(german.headers.get("etag"));
    const english = await get("/embed/frame");
    for (const bogus of ["xx", "de-AT", "DE"]) {
      const response = await get(`/embed/frame?locale=${bogus}`);
      expect(response.headers.get("etag"), bogus).toBe(english.headers.get("etag"));
    }
    expect(await english.text()).toContain('<html lang="en" dir="ltr">');
  });

  it("serves the widget's words per locale, cached like the scripts, to any origin", async () => {
    const response = await get("/embed/messages.json?locale=de");
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=3600,/);
    expect(response.headers.get("x-candor-microcache")).toMatch(/^(hit|miss)$/);
    expect(await response.json()).toMatchObject({ locale: "de", dir: "ltr", dismiss: "Schließen: {name}", status: { investigating: "Untersuchung" } });
    expect(await (await get("/embed/messages.json?locale=ar")).json()).toMatchObject({ locale: "ar", dir: "rtl" });
    expect(await (await get("/embed/messages.json?locale=klingon")).json()).toMatchObject({ locale: "en" });
    // status.json stays English and machine-shaped; it names the page's locales for the widget to pick from.
    const body = await (await get("/embed/status.json")).json();
    expect(body.page).toMatchObject({ default_locale: "en", locales: ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"] });
    expect(body.incidents[0].status_label).toMatch(/^[A-Z][a-z]+( [a-z]+)?$/);
  });

  it("lets any site frame /embed/frame, and only it", async () => {
    for (const path of ["/embed/frame", "/embed/frame?mobile=true"]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("x-frame-options"), path).toBeNull();
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("frame-ancestors *");
      expect(csp).toContain("default-src 'none'");
      const html = await response.text();
      // The one inline script is allowed by its hash, nothing else.
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
      expect(csp).toContain(`script-src 'sha256-${createHash("sha256").update(script).digest("base64")}'`);
      expect(html).toContain(path.includes("mobile") ? "padding-inline:16px 48px" : "padding-inline:18px 44px");
      expect(html).toMatch(/data-id="[a-z0-9]{12}"/);
    }
    for (const path of ["/", "/history", "/embed/status.json", "/embed.js", "/admin/sign-in"]) {
      const response = await get(path);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      if (!path.startsWith("/embed")) expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });
});

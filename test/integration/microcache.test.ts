import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

/*
 * The production server (server.ts) answers the public pages from its
 * microcache: the same bytes Next gives, and a posted update still shows
 * within a second, as does a maintenance window the clock starts (its runs
 * are requests to the server itself). Real server, embedded database with
 * demo data.
 */
describe("the microcache in front of Next", () => {
  let server: NextServer;
  let token: string;
  let active: string;
  let component: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        token = (await createApiKey(db, systemActor, { name: "microcache test", scope: "write" })).token;
        active = (await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
        component = (await db.selectFrom("components").select("id").where("archived_at", "is", null).executeTakeFirstOrThrow()).id;
      },
    });
  });

  afterAll(() => server?.stop());

  async function get(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  it("serves the public pages and machine endpoints with the bytes and headers Next gives", async () => {
    // A prefetch header without RSC: the microcache leaves it to Next, which answers with the page itself.
    const direct = { "next-router-prefetch": "1" };
    const paths = ["/", "/history", "/uptime", `/incidents/${active}`, "/api/v2/summary.json", `/api/v2/incidents/${active}.json`, "/history.rss", "/maintenance.ics"];
    for (const path of [...paths, `/components/${component}/badge.svg`, `/feed.json?component=${component}`]) {
      // The first read may be the one that fetched the copy; the second is answered from it.
      await get(path);
      const cached = await get(path);
      const next = await get(path, direct);
      expect(cached.status, path).toBe(200);
      expect(cached.headers.get("x-candor-microcache"), path).toBe("hit");
      expect(next.headers.get("x-candor-microcache"), path).toBeNull();
      expect(cached.body, path).toBe(next.body);
      expect(cached.headers.get("cache-control"), path).toBe(next.headers.get("cache-control"));
      expect(cached.headers.get("content-type"), path).toBe(next.headers.get("content-type"));
      expect(cached.headers.get("access-control-allow-origin"), path).toBe(next.headers.get("access-control-allow-origin"));
    }
  });

  it("answers a revalidation with 304", async () => {
    const first = await get("/");
    const again = await get("/", { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  it("leaves client navigation to Next, and answers queries and unknown incidents itself", async () => {
    const flight = await get("/", { rsc: "1" });
    expect(flight.status).toBe(200);
    expect(flight.headers.get("content-type")).toMatch(/text\/x-component/);
    expect(flight.headers.get("x-candor-microcache")).toBeNull();
    const history = await get("/history");
    const withQuery = await get("/history?page=1");
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get("x-candor-microcache")).toBe("hit");
    expect(withQuery.body).toBe(history.body);
    expect((await get("/incidents/zzzzzzzzzzzz")).status).toBe(404);
    const unknown = await get("/incidents/yyyyyyyyyyyy");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain("Page not found");
    expect(unknown.headers.get("x-candor-microcache")).toBe("hit");
  });

  it("shows a posted update on / and the incident page within a second", async () => {
    expect((await get("/")).body).not.toContain("Microcache test update");
    expect((await get(`/incidents/${active}`)).body).not.toContain("Microcache test update");
    const posted = await fetch(`${server.url}/api/v1/incidents/${active}/updates`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "monitoring", body: "Microcache test update: fix deployed.", notify: false }),
    });
    expect(posted.status).toBe(201);
    const started = Date.now();
    // Readers of both pages poll side by side, as they would.
    const [home, incident] = await Promise.all(
      ["/", `/incidents/${active}`].map(async (path) => {
        while (!(await get(path)).body.includes("Microcache test update") && Date.now() - started < 5000) {
          await new Promise((r) => setTimeout(r, 20));
        }
        return Date.now() - started;
      }),
    );
    console.log(`[measure] update visible on / after ${home} ms, on its incident page after ${incident} ms`);
    expect(home, `/ showed the update after ${home} ms`).toBeLessThan(1000);
    expect(incident, `the incident page showed the update after ${incident} ms`).toBeLessThan(1000);
    // Answered by the microcache (a miss while the write settles).
    expect((await get("/")).headers.get("x-candor-microcache")).not.toBeNull();
  });

  it("shows maintenance in progress within a second of the clock starting it", async () => {
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const start = new Date(Date.now() + 2000);
    const scheduled = await api("/maintenance", {
      method: "POST",
      body: JSON.stringify({
        name: "Clock test window",
        body: "Routine work.",
        scheduledFor: start.toISOString(),
        scheduledUntil: new Date(start.getTime() + 3_600_000).toISOString(),
        notify: false,
      }),
    });
    expect(scheduled.status).toBe(201);
    const id = scheduled.body.id as string;
    // A new incident's page is there at once, not the not-found page of a made-up id.
    expect((await get(`/incidents/${id}`)).status).toBe(200);
    const inProgress = () => /Maintenance in progress[\s\S]*Clock test window/.test(home);
    let home = (await get("/")).body;
    expect(inProgress()).toBe(false);
    // The clock runs every 30 s: wait for it to move the window, then for the page.
    const deadline = Date.now() + 45_000;
    let movedAt = 0;
    while (Date.now() < deadline) {
      home = (await get("/")).body;
      if (!movedAt && (await api(`/maintenance/${id}`)).body.status === "in_progress") movedAt = Date.now();
      if (movedAt && inProgress()) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(movedAt).toBeGreaterThan(0);
    expect(inProgress()).toBe(true);
    const elapsed = Date.now() - movedAt;
    expect(elapsed, `the window showed ${elapsed} ms after it moved`).toBeLessThan(1000);
  }, 60_000);

  it("refuses the internal clock route without the process's secret", async () => {
    const anonymous = await fetch(`${server.url}/api/internal/maintenance-clock`, { method: "POST" });
    expect(anonymous.status).toBe(404);
    const forged = await fetch(`${server.url}/api/internal/maintenance-clock`, { method: "POST", headers: { "x-candor-internal": "guess" } });
    expect(forged.status).toBe(404);
  });
});

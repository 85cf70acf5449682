import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startCluster, type Cluster } from "../../scripts/pg-cluster.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

/*
 * The public page must survive a dead database: pages rendered before the
 * outage keep answering 200 with their last content, nothing crashes, and
 * the app recovers by itself when PostgreSQL returns. Real PostgreSQL (its
 * own cluster, stopped mid-test) and the real production server.
 */
describe("public pages with PostgreSQL stopped", () => {
  let cluster: Cluster;
  let server: NextServer;
  let active: string;
  let resolved: string;

  beforeAll(async () => {
    cluster = await startCluster();
    server = await startPreparedServer({
      postgresUrl: cluster.url,
      async prepare(db) {
        await seedDemo(db);
        const incidents = await db.selectFrom("incidents").select(["id", "status"]).where("kind", "=", "incident").execute();
        active = incidents.find((i) => i.status === "identified")!.id;
        resolved = incidents.find((i) => i.status === "resolved")!.id;
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
  });

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: await response.text(), headers: response.headers };
  }

  it("serves cacheable public pages", async () => {
    const home = await get("/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("Increased API latency in EU region");
    const cacheControl = home.headers.get("cache-control") ?? "";
    expect(cacheControl).toMatch(/s-maxage=\d+/);
    expect(cacheControl).toMatch(/stale-while-revalidate=\d+/);
    expect(cacheControl).toMatch(/stale-if-error=\d+/);
    expect((await get(`/incidents/${active}`)).status).toBe(200);
  });

  it("keeps answering 200 with the last content while the database is down, then recovers", async () => {
    const before = await get("/");
    const incidentBefore = await get(`/incidents/${active}`);
    const germanBefore = await get("/de");
    expect(germanBefore.status).toBe(200);
    expect((await get(`/ar/incidents/${active}`)).status).toBe(200);
    cluster.halt();
    for (let i = 0; i < 3; i++) {
      // A localised page too, and a German reader of `/` is still sent to it (the last known languages).
      const german = await get("/de");
      expect(german.status).toBe(200);
      expect(german.body).toContain('<html lang="de"');
      expect(german.body).toContain("Increased API latency in EU region");
      expect(german.headers.get("x-candor-microcache")).toBe("hit");
      const arabic = await get(`/ar/incidents/${active}`);
      expect(arabic.status).toBe(200);
      expect(arabic.body).toContain('dir="rtl"');
      const redirected = await fetch(`${server.url}/`, { headers: { "accept-language": "de-DE,de;q=0.9" }, redirect: "manual" });
      expect(redirected.status).toBe(307);
      expect(redirected.headers.get("location")).toBe("/de");
    }
    for (let i = 0; i < 5; i++) {
      const home = await get("/");
      expect(home.status).toBe(200);
      expect(home.body).toContain("Increased API latency in EU region");
      expect(home.headers.get("x-candor-microcache")).toBe("hit");
      const incident = await get(`/incidents/${active}`);
      expect(incident.status).toBe(200);
      expect(incident.body).toContain("overloaded load balancer pool");
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(before.status).toBe(200);
    expect(incidentBefore.status).toBe(200);
    // A page never rendered before cannot be served from cache; it must fail without killing the server.
    const uncached = await get(`/incidents/${resolved}`);
    expect(uncached.status).toBeGreaterThanOrEqual(400);
    expect(server.process.exitCode).toBeNull();

    cluster.resume();
    const deadline = Date.now() + 30_000;
    let recovered = await get(`/incidents/${resolved}`);
    while (recovered.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      recovered = await get(`/incidents/${resolved}`);
    }
    expect(recovered.status).toBe(200);
    expect((await get("/")).status).toBe(200);
    expect(server.process.exitCode).toBeNull();
  });
});

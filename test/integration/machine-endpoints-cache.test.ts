import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startCluster, type Cluster } from "../../scripts/pg-cluster.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

/*
 * The machine endpoints are served from Next's cache: a posted update shows
 * up (tag invalidation), and with PostgreSQL stopped every endpoint read
 * before the outage keeps answering 200 with the same bytes. Real
 * PostgreSQL (its own cluster) and the real production server.
 */
const PATHS = [
  "/api/v2/status.json",
  "/api/v2/summary.json",
  "/api/v2/components.json",
  "/api/v2/incidents.json",
  "/api/v2/incidents/unresolved.json",
  "/api/v2/scheduled-maintenances.json",
  "/history.rss",
  "/history.atom",
  "/feed.json",
  "/maintenance.ics",
  "/badge.svg",
];

describe("machine endpoints through the cache", () => {
  let cluster: Cluster;
  let server: NextServer;
  let token: string;
  let active: string;

  beforeAll(async () => {
    cluster = await startCluster();
    server = await startPreparedServer({
      postgresUrl: cluster.url,
      async prepare(db) {
        await seedDemo(db);
        token = (await createApiKey(db, systemActor, { name: "cache test", scope: "write" })).token;
        active = (await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
  });

  async function get(path: string) {
    const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(15_000) });
    return { status: response.status, body: await response.text(), etag: response.headers.get("etag") };
  }

  it("shows a posted update after the tag is invalidated", async () => {
    const before = await get("/api/v2/incidents/unresolved.json");
    expect(before.body).not.toContain("Cache test update");
    const posted = await fetch(`${server.url}/api/v1/incidents/${active}/updates`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "monitoring", body: "Cache test update: monitoring.", notify: false }),
    });
    expect(posted.status).toBe(201);
    // The first request after invalidation may get the stale copy while it refreshes.
    const deadline = Date.now() + 10_000;
    let after = await get("/api/v2/incidents/unresolved.json");
    while (!after.body.includes("Cache test update") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await get("/api/v2/incidents/unresolved.json");
    }
    expect(after.body).toContain("Cache test update");
    expect(after.etag).not.toBe(before.etag);
    for (const path of ["/history.rss", "/feed.json"]) {
      let feed = await get(path);
      while (!feed.body.includes("Cache test update") && Date.now() < deadline) feed = await get(path);
      expect(feed.body, path).toContain("Cache test update");
    }
  });

  it("keeps answering every endpoint with the same bytes while the database is down", async () => {
    const before = new Map<string, { status: number; etag: string | null }>();
    for (const path of PATHS) {
      // Settle first: a request right after the earlier update may return the stale copy while it refreshes.
      let r = await get(path);
      for (let tries = 0, previous = ""; r.etag !== previous && tries < 20; tries++) {
        previous = r.etag ?? "";
        await new Promise((resolve) => setTimeout(resolve, 200));
        r = await get(path);
      }
      expect(r.status, path).toBe(200);
      before.set(path, { status: r.status, etag: r.etag });
    }
    cluster.halt();
    try {
      for (let round = 0; round < 3; round++) {
        for (const path of PATHS) {
          const r = await get(path);
          expect(r.status, path).toBe(200);
          expect(r.etag, path).toBe(before.get(path)!.etag);
        }
      }
      expect(server.process.exitCode).toBeNull();
    } finally {
      cluster.resume();
    }
  });
});

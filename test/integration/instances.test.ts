import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "../../db/client.ts";
import { systemActor } from "../../lib/actors.ts";
import { createApiKey } from "../../lib/api-keys.ts";
import { changeComponentStatus } from "../../lib/components.ts";
import { seedDemo } from "../../lib/demo.ts";
import { startCluster, type Cluster } from "../../scripts/pg-cluster.ts";
import { startNextServer, type NextServer } from "../support/next-server.ts";

/*
 * Two app instances on one PostgreSQL: a write through either, or by
 * another process entirely (this test, as a script would), shows on both
 * within a second (db/migrations/0007_public_changes.ts,
 * lib/public-changes.ts), also after the database restarted under them.
 */
describe("several app instances on one database", () => {
  let cluster: Cluster;
  let a: NextServer;
  let b: NextServer;
  let token: string;
  let active: string;
  let component: { id: string; name: string };

  beforeAll(async () => {
    cluster = await startCluster();
    const handle = await openDatabase({ url: cluster.url });
    await seedDemo(handle.db);
    token = (await createApiKey(handle.db, systemActor, { name: "instances test", scope: "write" })).token;
    active = (await handle.db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow()).id;
    component = await handle.db
      .selectFrom("components")
      .select(["id", "name"])
      .where("only_show_if_degraded", "=", false)
      .where("archived_at", "is", null)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    await handle.close();
    [a, b] = await Promise.all([
      startNextServer({ DATABASE_URL: cluster.url, CANDOR_WORKER: "off" }),
      startNextServer({ DATABASE_URL: cluster.url, CANDOR_WORKER: "off" }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    cluster?.stop();
  });

  const home = async (server: NextServer) => (await fetch(`${server.url}/`, { signal: AbortSignal.timeout(15_000) })).text();

  /** Milliseconds until every server's `/` satisfies `shows` (polled side by side), or Infinity after 10 s. */
  async function untilShown(servers: NextServer[], shows: (html: string) => boolean, from: number): Promise<number> {
    const each = await Promise.all(
      servers.map(async (server) => {
        while (!shows(await home(server))) {
          if (Date.now() - from > 10_000) return Infinity;
          await new Promise((r) => setTimeout(r, 20));
        }
        return Date.now() - from;
      }),
    );
    return Math.max(...each);
  }

  it("shows an update posted through one instance on the other within a second", async () => {
    const text = "Posted through instance A";
    expect(await home(a)).not.toContain(text);
    expect(await home(b)).not.toContain(text);
    const posted = await fetch(`${a.url}/api/v1/incidents/${active}/updates`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "monitoring", body: `${text}: fix deployed.`, notify: false }),
    });
    expect(posted.status).toBe(201);
    const elapsed = await untilShown([b, a], (html) => html.includes(text), Date.now());
    console.log(`[measure] instance B showed A's update after ${elapsed} ms`);
    expect(elapsed).toBeLessThan(1000);
  });

  it("shows a write made by another process (a script) on both instances within a second", async () => {
    const script: DbHandle = await openDatabase({ url: cluster.url });
    try {
      // The component's row and its group's header name the new status.
      const outages = (html: string) => html.split(/>\s*Major outage\s*</).length - 1;
      const before = outages(await home(a));
      expect(outages(await home(b))).toBe(before);
      const started = Date.now();
      await changeComponentStatus(script.db, systemActor, { componentId: component.id, status: "major_outage" });
      const elapsed = await untilShown([a, b], (html) => outages(html) > before, started);
      console.log(`[measure] both instances showed a script's write after ${elapsed} ms`);
      expect(elapsed).toBeLessThan(1000);
    } finally {
      await changeComponentStatus(script.db, systemActor, { componentId: component.id, status: "operational" });
      await script.close();
    }
  });

  it("hears changes again after the database restarted", async () => {
    cluster.halt();
    await new Promise((r) => setTimeout(r, 1500));
    cluster.resume();
    // The listener reconnects with backoff (1 s, 2 s, …) and refreshes once it is back.
    await new Promise((r) => setTimeout(r, 5000));
    const text = "After the restart";
    const posted = await fetch(`${a.url}/api/v1/incidents/${active}/updates`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "monitoring", body: `${text}: still watching.`, notify: false }),
    });
    expect(posted.status).toBe(201);
    const elapsed = await untilShown([b], (html) => html.includes(text), Date.now());
    expect(elapsed).toBeLessThan(1000);
  }, 60_000);
});

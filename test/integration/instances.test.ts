import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { changeComponentStatus } from "#lib/domain/components.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { startCluster, type Cluster } from "../../scripts/pg-cluster.ts";
import { startNextServer, type NextServer } from "../support/next-server.ts";

/*
 * Two app instances on one PostgreSQL: a write through either, or by
 * another process entirely (this test, as a script would), shows on both
 * within a second (db/migrations/0007_public_changes.ts,
 * lib/runtime/public-changes.ts), also after the database restarted or stopped
 * under them while visitors kept reading.
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

  /*
   * "Within a second" as a rule, measured three times: the median under 1 s,
   * none over 3 s. A page render under way when a change lands is stored by
   * Next as fresh; the settling refreshes (lib/runtime/public-changes.ts) correct it
   * at the next step, so now and then one try takes 1–3 s on a busy machine.
   */
  function expectWithinASecond(label: string, delays: number[]): void {
    const sorted = [...delays].sort((x, y) => x - y);
    console.log(`[measure] ${label}: ${delays.join(", ")} ms`);
    expect(sorted.length, label).toBe(3);
    expect(sorted[1], `${label}: median of ${delays.join(", ")} ms`).toBeLessThan(1000);
    expect(sorted[2], `${label}: slowest of ${delays.join(", ")} ms`).toBeLessThan(3000);
  }

  it("shows an update posted through one instance on the other within a second", async () => {
    const delays: number[] = [];
    for (const [i, status] of (["identified", "monitoring", "identified"] as const).entries()) {
      const text = `Posted through instance A, try ${i + 1}`;
      expect(await home(b)).not.toContain(text);
      const started = Date.now();
      const posted = await fetch(`${a.url}/api/v1/incidents/${active}/updates`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ status, body: `${text}: fix deployed.`, notify: false }),
      });
      expect(posted.status).toBe(201);
      delays.push(await untilShown([b, a], (html) => html.includes(text), started));
    }
    expectWithinASecond("instance B showed A's update after", delays);
  });

  it("shows a write made by another process (a script) on both instances within a second", async () => {
    const script: DbHandle = await openDatabase({ url: cluster.url });
    try {
      // The component's row and its group's header name the new status.
      const outages = (html: string) => html.split(/>\s*Major outage\s*</).length - 1;
      const delays: number[] = [];
      for (const status of ["major_outage", "operational", "major_outage"] as const) {
        // The previous try's change has settled on both before this one starts.
        await until(async () => outages(await home(a)) === outages(await home(b)), "both instances to show the same statuses");
        const before = outages(await home(a));
        const started = Date.now();
        await changeComponentStatus(script.db, systemActor, { componentId: component.id, status });
        delays.push(await untilShown([a, b], (html) => (status === "major_outage" ? outages(html) > before : outages(html) < before), started));
      }
      expectWithinASecond("both instances showed a script's write after", delays);
    } finally {
      await changeComponentStatus(script.db, systemActor, { componentId: component.id, status: "operational" });
      await script.close();
    }
  });

  /** Polls `done` every 100 ms for up to 20 s. */
  async function until(done: () => Promise<boolean>, what: string): Promise<number> {
    const started = Date.now();
    while (!(await done().catch(() => false))) {
      if (Date.now() - started > 20_000) throw new Error(`waited 20 s for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return Date.now() - started;
  }

  /** Runs one query on a connection of its own (the database may just have come back). */
  async function queryOnce<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: cluster.url });
    try {
      await client.connect();
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  }

  const waitingOnLocks = async () =>
    (await queryOnce<{ n: number }>("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and application_name like 'candor %'"))[0].n;

  /** Both instances' listeners connected again (lib/runtime/public-changes.ts). */
  const listenersBack = () =>
    until(
      async () =>
        (await queryOnce<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name like 'candor % listener' and query ilike 'listen%'"))[0].n >= 2,
      "both listeners to connect again",
    );

  /** Declares an incident through `server`'s management API: its status and how long it took. */
  async function declare(server: NextServer, name: string): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const response = await fetch(`${server.url}/api/v1/incidents`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name, severity: "SEV-2", body: `${name}: we are looking into it.`, notify: false }),
      signal: AbortSignal.timeout(20_000),
    });
    await response.body?.cancel();
    return { status: response.status, ms: Date.now() - started };
  }

  /** Visitors keep reading `/` on both instances, the database up or not, until stopped. */
  function visitors(): () => Promise<void> {
    let reading = true;
    const loops = [a, b].map(async (server) => {
      while (reading) {
        await home(server).catch(() => {});
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    return async () => {
      reading = false;
      await Promise.all(loops);
    };
  }

  /** New incidents declared through each instance in turn show on both within a second (three tries each way). */
  async function eachShowsTheOthers(label: string): Promise<void> {
    for (const [writer, reader, name] of [
      [a, b, "A"],
      [b, a, "B"],
    ] as const) {
      const owns: number[] = [];
      const others: number[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const incident = `${label}: declared through ${name}, try ${attempt}`;
        const started = Date.now();
        const declared = await declare(writer, incident);
        expect(declared.status).toBe(201);
        const [own, other] = await Promise.all([
          untilShown([writer], (html) => html.includes(incident), started),
          untilShown([reader], (html) => html.includes(incident), started),
        ]);
        owns.push(own);
        others.push(other);
      }
      expectWithinASecond(`${label}: declared through ${name}, shown by it after`, owns);
      expectWithinASecond(`${label}: declared through ${name}, shown by the other after`, others);
    }
  }

  it("after `pg_ctl restart -m fast`, an incident declared through either instance shows on the other within a second", async () => {
    const stopVisitors = visitors();
    try {
      cluster.restart();
      console.log(`[measure] listeners back ${await listenersBack()} ms after the restart`);
      await eachShowsTheOthers("After a fast restart");
    } finally {
      await stopVisitors();
    }
  }, 60_000);

  it("shows a change on both instances even when a page render was under way as it arrived", async () => {
    // As after a restart, when the database is slow: renders of / have read the incidents and wait for the uptime rollups.
    await Promise.all([home(a), home(b)]);
    const blocker = new pg.Client({ connectionString: cluster.url });
    await blocker.connect();
    let locked = true;
    try {
      await blocker.query("begin");
      await blocker.query("lock table uptime_rollups in access exclusive mode");
      // Another process's change: both instances refresh, and the next reader makes Next render / again.
      await queryOnce("select pg_notify('candor_public', 'a script')");
      // Readers keep asking until both renders wait: a reader before an instance's refresh starts none.
      await until(async () => {
        await Promise.all([home(a), home(b)]);
        return (await waitingOnLocks()) >= 2;
      }, "both instances' renders of / to wait on the lock");
      const incident = "Declared while pages were rendering";
      const declared = await declare(a, incident);
      expect(declared.status).toBe(201);
      // Both have heard of it (B through PostgreSQL) while their renders still wait.
      await new Promise((r) => setTimeout(r, 1000));
      await blocker.query("rollback");
      locked = false;
      const released = Date.now();
      const [own, other] = await Promise.all([
        untilShown([a], (html) => html.includes(incident), released),
        untilShown([b], (html) => html.includes(incident), released),
      ]);
      console.log(`[measure] renders under way at the change: shown by the writer ${own} ms, by the other ${other} ms after they could end`);
      // Not a minute (the page's revalidate period): the render ends, then the next of the refreshes that follow a change.
      expect(own).toBeLessThan(3000);
      expect(other).toBeLessThan(3000);
    } finally {
      if (locked) await blocker.query("rollback").catch(() => {});
      await blocker.end();
    }
  }, 60_000);

  it("while the database is stopped a write fails at once; once it is back, writes succeed and each instance shows the other's", async () => {
    const stopVisitors = visitors();
    try {
      cluster.halt();
      const refused = await declare(a, "While the database is down");
      console.log(`[measure] a write with the database down answered ${refused.status} after ${refused.ms} ms`);
      expect(refused.status).toBe(503);
      expect(refused.ms).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 3000));
      cluster.resume();
      const early = "Right after the database is back";
      expect((await declare(b, early)).status).toBe(201);
      console.log(`[measure] listeners back ${await listenersBack()} ms after the database started`);
      // Made before A listened again: A refreshes once it does.
      const caughtUp = await untilShown([a, b], (html) => html.includes(early), Date.now());
      console.log(`[measure] a write made before the listeners were back shown on both ${caughtUp} ms after they were`);
      expect(caughtUp).toBeLessThan(2000);
      await eachShowsTheOthers("After a stop");
    } finally {
      await stopVisitors();
    }
  }, 60_000);
});

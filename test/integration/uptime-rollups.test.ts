import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "kysely";
import pg from "pg";
import { openDatabase, type Db, type DbHandle } from "#db/client.ts";
import type { ComponentStatus } from "#db/schema.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { changeComponentStatus, createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { statusPage } from "#lib/public/status-page.ts";
import { computeUptime, uptimeCalendar, type Uptime } from "#lib/core/uptime.ts";
import { engines, freshDatabase, freshDatabaseUrl } from "../support/databases.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATUSES: ComponentStatus[] = ["major_outage", "operational", "partial_outage", "degraded_performance", "operational", "under_maintenance"];

/** Uptime figures without the incident labels, which the rollup does not hold. */
function figures(uptime: Uptime) {
  return { ratio: uptime.ratio, days: uptime.days.map(({ incidents: _, ...day }) => day) };
}

/** What `/` shows for each component's bar. */
async function shown(db: Db, now: Date) {
  const view = await statusPage(db, now);
  const result = new Map<string, ReturnType<typeof figures>>();
  for (const section of view.sections) {
    for (const c of section.kind === "group" ? section.components : [section.component]) if (c.uptime) result.set(c.id, figures(c.uptime));
  }
  return result;
}

/** The same bars computed from every recorded status change, no rollup involved. */
async function fromRawHistory(db: Db, now: Date) {
  const zone = (await getPage(db)).time_zone;
  const { rows: components } = await sql<{ id: string; start_date: string | null; created_at: Date }>`
    select id, start_date::text as start_date, created_at from components where showcase`.execute(db);
  const changes = await db.selectFrom("component_status_changes").select(["component_id", "status", "at"]).orderBy("at").orderBy("id").execute();
  return new Map(
    components.map((c) => [
      c.id,
      figures(
        computeUptime({
          changes: changes.filter((change) => change.component_id === c.id),
          startDate: c.start_date,
          createdAt: c.created_at,
          now,
          zone,
        }),
      ),
    ]),
  );
}

async function expectPageMatchesRawHistory(db: Db, now = new Date()) {
  const page = await shown(db, now);
  expect(page.size).toBeGreaterThan(0);
  expect(page).toEqual(await fromRawHistory(db, now));
  return page;
}

async function rollups(db: Db) {
  const { rows } = await sql<{ component_id: string; version: string; time_zone: string | null; first_day: string | null; covered_until: Date | null; filled: boolean }>`
    select component_id, version::text as version, time_zone, first_day::text as first_day, covered_until, figures is not null as filled
    from uptime_rollups`.execute(db);
  return new Map(rows.map((r) => [r.component_id, r]));
}

const forgetAll = (db: Db) => sql`update uptime_rollups set time_zone = null, first_day = null, covered_until = null, figures = null`.execute(db);

/** A busy 100 days: changes at odd minutes through the window, for API through the app and for Web as a script would write them. */
async function seedHistory(db: Db) {
  const created = new Date(Date.now() - 100 * DAY);
  const api = (await createComponent(db, systemActor, { name: "API", createdAt: created })).id;
  const web = (await createComponent(db, systemActor, { name: "Web", createdAt: created })).id;
  const start = Date.now() - 95 * DAY;
  for (let i = 0; i < 30; i++) {
    const at = new Date(start + i * 3 * DAY + ((i * 137) % 1440) * 60_000);
    await changeComponentStatus(db, systemActor, { componentId: api, status: STATUSES[i % STATUSES.length], at });
  }
  await sql`insert into component_status_changes (component_id, status, at)
    select ${web}, (array['partial_outage','operational','major_outage','operational'])[1 + i % 4],
           ${new Date(start)}::timestamptz + i * interval '2 days 7 hours 13 minutes'
    from generate_series(0, 39) i`.execute(db);
  return { api, web };
}

describe.each(engines)("uptime rollups on %s", (engine) => {
  let handle: DbHandle;
  let db: Db;
  let api: string;
  let web: string;

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    db = handle.db;
    ({ api, web } = await seedHistory(db));
  });
  afterAll(async () => handle?.close());

  it("shows the same uptime as computing from the raw history, and saves the complete days", async () => {
    const now = new Date();
    const first = await expectPageMatchesRawHistory(db, now);
    const calendar = uptimeCalendar(now, (await getPage(db)).time_zone);
    const saved = await rollups(db);
    for (const id of [api, web]) {
      expect(saved.get(id)).toMatchObject({
        time_zone: "Etc/UTC",
        first_day: calendar.days[0].day,
        covered_until: new Date(calendar.days.at(-1)!.start),
        filled: true,
      });
    }
    // Read back from the rollup: the same figures again.
    expect(await expectPageMatchesRawHistory(db, now)).toEqual(first);
  });

  it("reads complete days from the rollup rather than the history", async () => {
    await expectPageMatchesRawHistory(db);
    await sql`update uptime_rollups set figures = jsonb_set(figures::jsonb, '{worst}', to_jsonb('m' || substr(figures->>'worst', 2)))::json
      where component_id = ${api}`.execute(db);
    const page = await shown(db, new Date());
    expect(page.get(api)!.days[0].worst).toBe("major_outage");
    await forgetAll(db);
    await expectPageMatchesRawHistory(db);
  });

  it("drops the rolled-up days a backdated status change touches", async () => {
    await expectPageMatchesRawHistory(db);
    const before = await rollups(db);
    const at = new Date(Date.now() - 10 * DAY);
    await changeComponentStatus(db, systemActor, { componentId: api, status: "major_outage", at });
    await changeComponentStatus(db, systemActor, { componentId: api, status: "operational", at: new Date(at.getTime() + 2 * HOUR) });
    const after = await rollups(db);
    expect(after.get(api)).toMatchObject({ filled: false, covered_until: null });
    expect(Number(after.get(api)!.version)).toBe(Number(before.get(api)!.version) + 2);
    expect(after.get(web)).toEqual(before.get(web));
    const page = await expectPageMatchesRawHistory(db);
    const tenDaysAgo = page.get(api)!.days.at(-11)!;
    expect(tenDaysAgo.majorOutageMinutes).toBeGreaterThanOrEqual(120);
  });

  it("drops the rolled-up days an incident update with a past display time touches", async () => {
    const page = await expectPageMatchesRawHistory(db);
    const startedAt = new Date(Date.now() - 20 * DAY);
    const incident = await declareIncident(db, systemActor, {
      name: "Backfilled outage",
      severity: "SEV-2",
      body: "Web was down.",
      components: [{ id: web, status: "major_outage" }],
      startedAt,
    });
    expect((await rollups(db)).get(web)?.filled).toBe(false);
    await expectPageMatchesRawHistory(db);
    await postUpdate(db, systemActor, {
      incidentId: incident.incident.id,
      status: "resolved",
      body: "Fixed.",
      components: [{ id: web, status: "operational" }],
      displayAt: new Date(startedAt.getTime() + 3 * HOUR),
    });
    expect((await rollups(db)).get(web)?.filled).toBe(false);
    const after = await expectPageMatchesRawHistory(db);
    expect(after.get(web)).not.toEqual(page.get(web));
  });

  it("keeps the rolled-up days through a status change made now", async () => {
    await expectPageMatchesRawHistory(db);
    const before = (await rollups(db)).get(web)!;
    await changeComponentStatus(db, systemActor, { componentId: web, status: "partial_outage" });
    const after = (await rollups(db)).get(web)!;
    expect(after).toMatchObject({ filled: true, covered_until: before.covered_until });
    expect(Number(after.version)).toBe(Number(before.version) + 1);
    await expectPageMatchesRawHistory(db);
    await changeComponentStatus(db, systemActor, { componentId: web, status: "operational" });
  });

  it("drops a component's rolled-up days when its start_date changes", async () => {
    await expectPageMatchesRawHistory(db);
    const start = uptimeCalendar(new Date(), "Etc/UTC").days[60].day;
    await sql`update components set start_date = ${start}::date where id = ${api}`.execute(db);
    expect((await rollups(db)).get(api)?.filled).toBe(false);
    const page = await expectPageMatchesRawHistory(db);
    expect(page.get(api)!.days.slice(0, 60).every((d) => d.countedMinutes === 0 && d.worst === null)).toBe(true);
    expect(page.get(api)!.days[60].countedMinutes).toBe(1440);
    await sql`update components set start_date = null where id = ${api}`.execute(db);
    await expectPageMatchesRawHistory(db);
  });

  it("drops every rollup when the status history is truncated", async () => {
    await expectPageMatchesRawHistory(db);
    expect((await rollups(db)).get(api)?.filled).toBe(true);
    await sql`truncate component_status_changes`.execute(db);
    expect([...(await rollups(db)).values()].some((r) => r.filled)).toBe(false);
    await expectPageMatchesRawHistory(db);
  });

  it("counts from a start_date given when the component is created", async () => {
    const start = uptimeCalendar(new Date(), "Etc/UTC").days[80].day;
    const late = await createComponent(db, systemActor, { name: "Started", startDate: start, createdAt: new Date(Date.now() - 200 * DAY) });
    const page = await expectPageMatchesRawHistory(db);
    const days = page.get(late.id)!.days;
    expect(days.findIndex((d) => d.countedMinutes > 0)).toBe(80);
    await sql`delete from components where id = ${late.id}`.execute(db);
  });

  it("never serves days cut in another time zone", async () => {
    const utc = await expectPageMatchesRawHistory(db);
    const page = await getPage(db);
    const zone = "Pacific/Kiritimati"; // UTC+14: every day starts 14 hours earlier
    await updatePageSettings(db, systemActor, { name: page.name, url: page.url, timeZone: zone });
    try {
      const kiritimati = await expectPageMatchesRawHistory(db);
      expect(kiritimati.get(web)).not.toEqual(utc.get(web));
      expect((await rollups(db)).get(web)).toMatchObject({ time_zone: zone, filled: true });
      await expectPageMatchesRawHistory(db);
    } finally {
      await updatePageSettings(db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone });
    }
    await expectPageMatchesRawHistory(db);
    expect((await rollups(db)).get(web)).toMatchObject({ time_zone: "Etc/UTC", filled: true });
  });

  it("still shows the page when saving the rollup fails", async () => {
    await forgetAll(db);
    await sql.raw(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'read-only'; end $$`).execute(db);
    await sql`create trigger refuse before insert or update on uptime_rollups execute function refuse()`.execute(db);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expectPageMatchesRawHistory(db);
      expect(logged).toHaveBeenCalledWith("[uptime] rollup not saved:", expect.stringContaining("read-only"));
      expect([...(await rollups(db)).values()].some((r) => r.filled)).toBe(false);
    } finally {
      logged.mockRestore();
      await sql`drop trigger refuse on uptime_rollups`.execute(db);
      await sql`drop function refuse()`.execute(db);
    }
  });

  it("takes a deleted component's rollup along", async () => {
    const late = await createComponent(db, systemActor, { name: "Late", createdAt: new Date(Date.now() - 40 * DAY) });
    await changeComponentStatus(db, systemActor, { componentId: late.id, status: "degraded_performance", at: new Date(Date.now() - 5 * DAY) });
    await expectPageMatchesRawHistory(db);
    expect((await rollups(db)).get(late.id)?.filled).toBe(true);
    await sql`delete from components where id = ${late.id}`.execute(db);
    expect((await rollups(db)).has(late.id)).toBe(false);
    await expectPageMatchesRawHistory(db);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("uptime rollups under concurrent writes on pg", () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DbHandle;
  let writer: pg.Client;

  beforeAll(async () => {
    database = await freshDatabaseUrl();
    handle = await openDatabase({ url: database.url });
    writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
  });
  afterAll(async () => {
    await writer?.end();
    await handle?.close();
    await database?.drop();
  });

  it("does not keep days computed before a backdated write that committed while they were saved", async () => {
    const { db } = handle;
    const { api } = await seedHistory(db);
    const before = await expectPageMatchesRawHistory(db);
    await forgetAll(db);

    // The write is in flight (its trigger holds API's rollup row) while a reader computes without it.
    await writer.query("begin");
    await writer.query(`insert into component_status_changes (component_id, status, at) values ($1, 'major_outage', $2), ($1, 'operational', $3)`, [
      api,
      new Date(Date.now() - 30 * DAY),
      new Date(Date.now() - 25 * DAY),
    ]);
    const reading = statusPage(db, new Date());
    // Asked on another connection: inside its transaction the writer would see a frozen pg_stat_activity.
    const waiting = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into uptime_rollups%'`.execute(db)
      ).rows[0].n;
    for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await waiting()).toBe(1);
    await writer.query("commit");
    await reading;

    expect((await rollups(db)).get(api)?.filled).toBe(false);
    const after = await expectPageMatchesRawHistory(db);
    expect(after.get(api)).not.toEqual(before.get(api));
  });
});

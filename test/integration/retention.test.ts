import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { REPORTS_KEPT_DAYS } from "#lib/domain/problem-reports.ts";
import { pruneExpiredRecords } from "#lib/runtime/retention.ts";
import { engines, freshDatabase } from "../support/databases.ts";

describe.each(engines)("retention on %s", (engine) => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await freshDatabase(engine);
  });
  afterAll(() => handle.close());

  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0].n);

  it("drops dead throttles, rate-limit counters and expired sessions, and keeps live ones", async () => {
    const day = 86_400_000;
    await sql`insert into sign_in_throttles (key, attempts, not_before) values
      ('account:old@example.com', 7, now() - interval '2 days'), ('account:live@example.com', 7, now() + interval '5 minutes')`.execute(handle.db);
    await sql`insert into rate_limits (id, key, count, "lastRequest") values
      ('old', 'old-key', 3, ${Date.now() - 2 * day}), ('live', 'live-key', 3, ${Date.now()})`.execute(handle.db);
    await sql`insert into users (id, name, email, "emailVerified") values ('u1', 'u', 'u@example.com', false)`.execute(handle.db);
    await sql`insert into sessions (id, "expiresAt", token, "updatedAt", "userId") values
      ('s-old', now() - interval '1 day', 't-old', now(), 'u1'), ('s-live', now() + interval '1 day', 't-live', now(), 'u1')`.execute(handle.db);

    const pruned = await pruneExpiredRecords(handle.db);
    expect(pruned).toMatchObject({ signInThrottles: 1, rateLimits: 1, expiredSessions: 1 });
    expect(await count("sign_in_throttles")).toBe(1);
    expect(await count("rate_limits")).toBe(1);
    expect(await count("sessions")).toBe(1);
    // Idempotent: a second run (another process) finds nothing more.
    expect(await pruneExpiredRecords(handle.db)).toMatchObject({ signInThrottles: 0, rateLimits: 0, expiredSessions: 0 });
  });

  it("drops report attempts past the longest report limit window, and keeps live ones", async () => {
    await sql`insert into report_attempts (scope, value, at) values
      ('ip', '10.0.0.9', now() - interval '2 hours'), ('component', 'none', now() - interval '2 hours'), ('ip', '10.0.0.9', now())`.execute(handle.db);
    expect((await pruneExpiredRecords(handle.db)).reportAttempts).toBe(2);
    expect(await count("report_attempts")).toBe(1);
    expect((await pruneExpiredRecords(handle.db)).reportAttempts).toBe(0);
  });

  it("drops problem reports older than REPORTS_KEPT_DAYS, and keeps recent ones", async () => {
    await sql`insert into problem_reports (id, component_id, description, created_at) values
      ('reportold001', null, 'Old report text', now() - ${`${REPORTS_KEPT_DAYS + 1} days`}::interval),
      ('reportnew001', null, 'New report text', now() - ${`${REPORTS_KEPT_DAYS - 1} days`}::interval)`.execute(handle.db);
    expect((await pruneExpiredRecords(handle.db)).problemReports).toBe(1);
    expect((await sql<{ id: string }>`select id from problem_reports`.execute(handle.db)).rows).toEqual([{ id: "reportnew001" }]);
    expect((await pruneExpiredRecords(handle.db)).problemReports).toBe(0);
  });

  it("drops spike alerts older than a day, and keeps recent ones", async () => {
    await sql`insert into report_alerts (component_key, window_start, sent_at, recipients) values
      ('none', now() - interval '2 days', now() - interval '2 days', 2), ('none', date_trunc('hour', now()), now(), 2)`.execute(handle.db);
    expect((await pruneExpiredRecords(handle.db)).reportAlerts).toBe(1);
    expect(await count("report_alerts")).toBe(1);
    expect((await pruneExpiredRecords(handle.db)).reportAlerts).toBe(0);
  });

  it("drops settled reporter follow-ups older than REPORTS_KEPT_DAYS; never a queued one", async () => {
    const { incident } = await declareIncident(handle.db, systemActor, { name: "Old", severity: "SEV-3", body: "Looking.", components: [] });
    await sql`insert into report_followups (incident_id, email, status, created_at) values
      (${incident.id}, 'old@example.com', 'sent', now() - ${`${REPORTS_KEPT_DAYS + 1} days`}::interval),
      (${incident.id}, 'stuck@example.com', 'queued', now() - ${`${REPORTS_KEPT_DAYS + 1} days`}::interval),
      (${incident.id}, 'new@example.com', 'sent', now())`.execute(handle.db);
    expect((await pruneExpiredRecords(handle.db)).reportFollowups).toBe(1);
    expect((await sql<{ email: string }>`select email from report_followups order by email`.execute(handle.db)).rows).toEqual([
      { email: "new@example.com" },
      { email: "stuck@example.com" },
    ]);
    expect((await pruneExpiredRecords(handle.db)).reportFollowups).toBe(0);
  });
});

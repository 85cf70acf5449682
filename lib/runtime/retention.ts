import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import { pruneSignInThrottles } from "#lib/auth/sign-in-throttles.ts";
import { pruneProblemReports, pruneReportAttempts, REPORTS_KEPT_DAYS } from "#lib/domain/problem-reports.ts";
import { pruneReportAlerts } from "#lib/domain/report-alerts.ts";
import { pruneReportFollowups } from "#lib/domain/report-followups.ts";
import { pruneMetricRollups } from "#lib/domain/metrics.ts";
import { pruneSubscriberRecords } from "#lib/domain/subscribers/retention.ts";

/*
 * Retention: what the throttles, sign-in, the subscribe and report forms leave
 * behind is kept only as long as it means something, so a flood of junk
 * cannot grow the database without bound. Runs hourly in every app server
 * and standalone worker; each step is idempotent, so several processes
 * pruning at once only repeat each other's deletes.
 */
const EVERY_MS = 60 * 60_000;
const FIRST_AFTER_MS = 60_000;
/** better-auth's rate-limit windows are at most a minute: a day-old counter is dead. */
const RATE_LIMIT_KEPT_MS = 86_400_000;

export interface Pruned {
  signInThrottles: number;
  rateLimits: number;
  expiredSessions: number;
  subscribeAttempts: number;
  expiredPendingSubscribers: number;
  reportAttempts: number;
  problemReports: number;
  reportAlerts: number;
  reportFollowups: number;
  metricRollups: number;
}

export async function pruneExpiredRecords(db: Db, now = new Date()): Promise<Pruned> {
  const signInThrottles = await pruneSignInThrottles(db);
  const rateLimits = await sql`delete from rate_limits where "lastRequest" < ${now.getTime() - RATE_LIMIT_KEPT_MS}`.execute(db);
  const sessions = await sql`delete from sessions where "expiresAt" < ${now}`.execute(db);
  const subscribers = await pruneSubscriberRecords(db, now);
  const reportAttempts = await pruneReportAttempts(db, now);
  const problemReports = await pruneProblemReports(db, now);
  const reportAlerts = await pruneReportAlerts(db, now);
  const reportFollowups = await pruneReportFollowups(db, REPORTS_KEPT_DAYS, now);
  const metricRollups = await pruneMetricRollups(db, now);
  return {
    signInThrottles,
    rateLimits: Number(rateLimits.numAffectedRows ?? 0),
    expiredSessions: Number(sessions.numAffectedRows ?? 0),
    subscribeAttempts: subscribers.attempts,
    expiredPendingSubscribers: subscribers.pending,
    reportAttempts,
    problemReports,
    reportAlerts,
    reportFollowups,
    metricRollups,
  };
}

/** Prunes a minute after start, then hourly; never keeps the process alive. */
export function startRetention(db: () => Promise<Db>): void {
  const run = () =>
    db()
      .then((handle) => pruneExpiredRecords(handle))
      .catch((error: unknown) => console.error(`[retention] ${(error as Error).message}`));
  setTimeout(run, FIRST_AFTER_MS).unref();
  setInterval(run, EVERY_MS).unref();
}

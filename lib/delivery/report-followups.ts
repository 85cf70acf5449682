import { createHash } from "node:crypto";
import { z } from "zod";
import { db as processDb, type Db } from "#db/client.ts";
import { renderReportFollowupEmail } from "#emails/render.tsx";
import { localePath } from "#lib/core/locales.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { optOutToken } from "#lib/domain/report-followups.ts";
import { duringNextBuild } from "#lib/runtime/next-internals.ts";
import { createMailer, senderAddress, sendRate, type Mailer } from "./mailer.ts";
import { acquireSlot } from "./rate-limit.ts";

/*
 * Sends the "it is fixed" emails queued when an incident resolves
 * (lib/domain/report-followups.ts). A row is claimed with a lease, so of
 * several processes one sends it; a process that dies mid-send leaves the
 * lease to run out, and the retry carries the same idempotency key, which
 * the provider answers without sending twice. The sends share the
 * provider's rate with the subscriber worker.
 */
const settings = z
  .object({ REPORT_FOLLOWUP_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000) })
  .parse(process.env);
const LEASE_MS = 60_000;
const CLAIM_SIZE = 20;
const MAX_ATTEMPTS = 8;

function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** (attempts - 1));
}

export function followupIdempotencyKey(incidentId: string, email: string): string {
  return `report-followup/${incidentId}/${createHash("sha256").update(email).digest("hex").slice(0, 32)}`;
}

/** Sends what is due; returns how many were sent. */
export async function sendReportFollowups(db: Db, mailer: Mailer = createMailer(db), now: Date = new Date()): Promise<number> {
  const due = db
    .selectFrom("report_followups")
    .select(["incident_id", "email"])
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "queued"), eb("next_attempt_at", "<=", now)]),
        eb.and([eb("status", "=", "sending"), eb("lease_until", "<", now)]),
      ]),
    )
    .orderBy("next_attempt_at")
    .limit(CLAIM_SIZE)
    .forUpdate()
    .skipLocked();
  const claimed = await db
    .updateTable("report_followups")
    .set((eb) => ({ status: "sending", lease_until: new Date(now.getTime() + LEASE_MS), attempts: eb("attempts", "+", 1) }))
    .where((eb) => eb(eb.refTuple("incident_id", "email"), "in", due.$asTuple("incident_id", "email")))
    .returning(["incident_id", "email", "attempts"])
    .execute();
  if (claimed.length === 0) return 0;

  const page = await getPage(db);
  const mailPage = { name: page.name, url: pageUrl(page.url), timeZone: page.time_zone };
  let sent = 0;
  for (const row of claimed) {
    const settle = (values: { status: "queued" | "sent" | "failed"; last_error?: string | null; next_attempt_at?: Date; sent_at?: Date }) =>
      db
        .updateTable("report_followups")
        .set({ lease_until: null, ...values })
        .where("incident_id", "=", row.incident_id)
        .where("email", "=", row.email)
        .where("status", "=", "sending")
        .execute();
    const [incident, first] = await Promise.all([
      db.selectFrom("incidents").select(["name"]).where("id", "=", row.incident_id).executeTakeFirst(),
      db
        .selectFrom("problem_reports as r")
        .leftJoin("components as c", "c.id", "r.component_id")
        .select(["r.created_at", "r.locale", "c.name"])
        .where("r.incident_id", "=", row.incident_id)
        .where("r.email", "=", row.email)
        .orderBy("r.created_at")
        .limit(1)
        .executeTakeFirst(),
    ]);
    // The reports were pruned (or the incident deleted) before the send: nothing left to answer.
    if (!incident || !first) {
      await settle({ status: "failed", last_error: "report or incident no longer exists" });
      continue;
    }
    // In the language the problem was reported in (their first report's), its links too; a language no longer offered: the default.
    const locale = page.locales.includes(first.locale) ? first.locale : page.default_locale;
    const link = (path: string) => `${pageUrl(page.url)}${localePath(locale, path, page.default_locale)}`;
    const email = await renderReportFollowupEmail(mailPage, locale, {
      incidentName: incident.name,
      reportedAt: first.created_at,
      componentName: first.name,
      incidentUrl: link(`/incidents/${row.incident_id}`),
      optOutUrl: link(`/report/stop/${await optOutToken(db, row.email)}`),
    });
    await acquireSlot(db, sendRate());
    const outcome = await mailer.send({ ...email, from: senderAddress(page), to: row.email }, followupIdempotencyKey(row.incident_id, row.email));
    if (outcome.ok) {
      sent += 1;
      await settle({ status: "sent", sent_at: new Date(), last_error: null });
    } else if (outcome.kind === "permanent" || row.attempts >= MAX_ATTEMPTS) {
      await settle({ status: "failed", last_error: outcome.message });
    } else {
      const wait = outcome.kind === "rate_limited" ? outcome.retryAfterMs : retryDelayMs(row.attempts);
      await settle({ status: "queued", last_error: outcome.message, next_attempt_at: new Date(Date.now() + wait) });
    }
  }
  return sent;
}

// On globalThis because Next may load this module more than once in a process.
const globalLoop = globalThis as unknown as { candorReportFollowups?: NodeJS.Timeout };

/** Every REPORT_FOLLOWUP_POLL_MS in each app server and standalone worker; never keeps the process alive. */
export function startReportFollowups(openDb: () => Promise<Db> = processDb): void {
  if (globalLoop.candorReportFollowups || duringNextBuild()) return;
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    openDb()
      .then((db) => sendReportFollowups(db))
      .catch((error: unknown) => console.error(`[report-followups] ${(error as Error).message}`))
      .finally(() => (running = false));
  };
  globalLoop.candorReportFollowups = setInterval(tick, settings.REPORT_FOLLOWUP_POLL_MS);
  globalLoop.candorReportFollowups.unref();
}

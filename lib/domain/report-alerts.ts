import { sql } from "kysely";
import { z } from "zod";
import { withAuthTables } from "#db/auth-schema.ts";
import { db as processDb, type Db } from "#db/client.ts";
import { renderReportSpikeEmail } from "#emails/render.tsx";
import { pageUrl } from "#lib/core/page-url.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { createMailer, senderAddress } from "#lib/delivery/mailer.ts";
import { postSpikeToChannels } from "#lib/delivery/report-spike-channels.ts";
import { getPage } from "./page-settings.ts";
import { reportGroupKey } from "./report-followups.ts";

/*
 * The spike alert: when stored reports for one component (or "not sure")
 * reach REPORT_SPIKE_THRESHOLD within one window of REPORT_SPIKE_MINUTES,
 * every active owner and editor gets one email, once per component and
 * window.
 *
 * Windows are fixed, aligned on the epoch like the inbox's groups
 * (listReportGroups): the count in the email is the count the inbox shows,
 * and (component, window start) is a key the database can hold unique, so
 * of two processes racing, one insert wins and only that one sends. The
 * price: a spike split across a window boundary may count short in both.
 */
const spikeSettings = z.object({
  REPORT_SPIKE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  REPORT_SPIKE_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
});
const env = spikeSettings.parse(process.env);
export const REPORT_SPIKE = { threshold: env.REPORT_SPIKE_THRESHOLD, windowMinutes: env.REPORT_SPIKE_MINUTES };

const LATEST_IN_ALERT = 3;
/** Alerts are looked up only within their window; a day-old row means nothing. */
const ALERTS_KEPT_MS = 86_400_000;

/**
 * Runs after a report is stored (the form calls it after its answer): counts
 * the stored reports of this component's current window and, at the
 * threshold, claims the window, emails the owners and editors and posts to
 * the team's channels that chose "reports" (lib/delivery/report-spike-channels.ts).
 * Returns how many it emailed (0: below the threshold, or already alerted).
 */
export async function alertOnSpike(db: Db, componentId: string | null, now: Date = new Date()): Promise<number> {
  const windowMs = REPORT_SPIKE.windowMinutes * 60_000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const windowEnd = new Date(windowStart.getTime() + windowMs);
  const inWindow = db
    .selectFrom("problem_reports")
    .where((eb) => (componentId ? eb("component_id", "=", componentId) : eb("component_id", "is", null)))
    .where("created_at", ">=", windowStart)
    .where("created_at", "<", windowEnd);
  const { n } = await inWindow.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow();
  if (n < REPORT_SPIKE.threshold) return 0;

  const recipients = await withAuthTables(db)
    .selectFrom("users")
    .select("email")
    .where("role", "in", ["owner", "editor"])
    .where((eb) => eb.or([eb("banned", "is", null), eb("banned", "=", false)]))
    .orderBy("email")
    .execute();
  const componentKey = componentId ?? "none";
  const claimed = await db
    .insertInto("report_alerts")
    .values({ component_key: componentKey, window_start: windowStart, recipients: recipients.length })
    .onConflict((oc) => oc.columns(["component_key", "window_start"]).doNothing())
    .returning("component_key")
    .executeTakeFirst();
  // Another process (or an earlier report) alerted for this window. A send that fails below is not retried: the inbox still has every report.
  if (!claimed) return 0;

  const [page, component, latest] = await Promise.all([
    getPage(db),
    componentId ? db.selectFrom("components").select("name").where("id", "=", componentId).executeTakeFirst() : undefined,
    // Reporters' addresses stay in the inbox: only the text goes out.
    inWindow.select(["description", "created_at"]).orderBy("created_at", "desc").orderBy("id").limit(LATEST_IN_ALERT).execute(),
  ]);
  const base = pageUrl(page.url);
  // Declaring from the alert ties this window's reports to the incident, as the inbox's link does.
  const group = reportGroupKey({ componentId, windowStart }, REPORT_SPIKE.windowMinutes);
  const declareUrl = `${base}/admin/incidents/new?${new URLSearchParams({ ...(componentId ? { component: componentId } : {}), reports: group })}`;
  await postSpikeToChannels(db, {
    count: n,
    minutes: REPORT_SPIKE.windowMinutes,
    componentName: component?.name ?? null,
    componentKey,
    windowStart,
    latest: latest.map((r) => ({ description: r.description, at: new Date(r.created_at) })),
    reportsUrl: `${base}/admin/reports`,
    declareUrl,
    page: { id: page.id, name: page.name, url: base, timeZone: page.time_zone },
  });
  if (recipients.length === 0) return 0;
  const rendered = await renderReportSpikeEmail(
    { name: page.name, url: page.url, timeZone: page.time_zone },
    {
      count: n,
      minutes: REPORT_SPIKE.windowMinutes,
      componentName: component?.name ?? null,
      latest: latest.map((r) => ({ description: r.description, at: formatDateTime(r.created_at, page.time_zone) })),
      reportsUrl: `${base}/admin/reports`,
      declareUrl,
    },
  );
  const mailer = createMailer(db);
  const from = senderAddress(page);
  let sent = 0;
  for (const { email } of recipients) {
    const outcome = await mailer.send({ ...rendered, from, to: email }, `report-spike/${componentKey}/${windowStart.toISOString()}/${email}`);
    if (outcome.ok) sent++;
    else console.error(`[report-alerts] spike alert to an admin failed: ${outcome.message}`);
  }
  return sent;
}

/** Retention: alerts older than a day (long past their window). */
export async function pruneReportAlerts(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db.deleteFrom("report_alerts").where("sent_at", "<", new Date(now.getTime() - ALERTS_KEPT_MS)).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/* The public route's entry point (routes never import db/). */
export const reportAlerts = {
  afterReport: async (componentId: string | null) => alertOnSpike(await processDb(), componentId),
};

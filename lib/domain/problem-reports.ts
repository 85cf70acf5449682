import { sql } from "kysely";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import { AppError, invalidInput, issuesOf, notFound, parseInput } from "#lib/core/errors.ts";
import { publicIdField, text, wholeNumber } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { can, requireRole, type Actor } from "./actors.ts";
import { getPage } from "./page-settings.ts";
import { CHALLENGE_FIELD, spendReportChallenge } from "./report-challenges.ts";

/*
 * Problem reports: what customers send through /report when something looks
 * wrong to them. Only the admin reads them, grouped per component and time
 * window; the text is never published. Off until an owner turns it on.
 *
 * Limits: too many reports from one client (IP, or an IPv6 /64) are refused
 * as such; past a flood of reports for one component, more are dropped
 * silently (the admin already has plenty). A refused report stores nothing.
 */
// Parsed at start: a malformed value must fail loudly, not become NaN (which no count would ever reach).
const limitSettings = z
  .object({
    REPORT_LIMIT_PER_IP: z.coerce.number().int().min(1).default(5),
    REPORT_LIMIT_PER_COMPONENT: z.coerce.number().int().min(1).default(200),
    REPORTS_KEPT_DAYS: z.coerce.number().int().min(1).default(90),
  })
  .parse(process.env);
export const REPORT_LIMITS = {
  ip: { max: limitSettings.REPORT_LIMIT_PER_IP, windowMinutes: 60 },
  component: { max: limitSettings.REPORT_LIMIT_PER_COMPONENT, windowMinutes: 10 },
};
/** Attempts older than the longest limit window count for nothing: pruned. */
export const REPORT_ATTEMPTS_KEPT_MINUTES = Math.max(REPORT_LIMITS.ip.windowMinutes, REPORT_LIMITS.component.windowMinutes);

/**
 * The form's hidden field a person leaves empty (it is out of sight and
 * labelled so); a bot that fills every field is answered as if it had
 * reported, and nothing is stored.
 */
export const HONEYPOT_FIELD = "website";

const optionalEmail = text({ max: 320, required: false })
  .transform((value) => value.toLowerCase())
  .refine((value) => value === "" || z.email().safeParse(value).success, "must be an email address")
  .optional()
  .transform((value) => value || null);

export const reportInput = z.object({
  /** Empty: "not sure / the whole service". */
  component: z
    .union([z.literal(""), publicIdField("component")], { error: "is not a component" })
    .optional()
    .transform((value) => value || null),
  description: text({ min: 10, max: 2000, multiline: true }),
  /** To hear back; optional. */
  email: optionalEmail,
});

const REPORT_FIELDS = ["component", "description", "email"] as const;
const isReportField = (field: string): field is (typeof REPORT_FIELDS)[number] => (REPORT_FIELDS as readonly string[]).includes(field);

/*
 * What the reporter typed, refused in their language: each wrong field
 * named by its label and its rule in one sentence (report.errors.*), as the
 * form shows it with or without JavaScript.
 */
function parseReport(input: unknown, locale: Locale): z.output<typeof reportInput> {
  const result = reportInput.safeParse(input);
  if (result.success) return result.data;
  const t = translator(locale, "report");
  const fields = new Set(issuesOf(result.error).map((issue) => issue.field.split(".")[0]));
  throw invalidInput([...fields].map((field) => ({ field, message: isReportField(field) ? t(`errors.${field}`) : t("fix") })));
}

function honeypotFilled(input: unknown): boolean {
  const value = input && typeof input === "object" ? (input as Record<string, unknown>)[HONEYPOT_FIELD] : undefined;
  return typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null;
}

/** Concurrent reports with the same key take turns, so a burst cannot all pass one count. */
async function takeTurn(trx: Tx, key: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`report:${key}`}))`.execute(trx);
}

async function attemptsWithin(trx: Tx, scope: "ip" | "component", value: string): Promise<number> {
  const { n } = await trx
    .selectFrom("report_attempts")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("scope", "=", scope)
    .where("value", "=", value)
    .where("at", ">", new Date(Date.now() - REPORT_LIMITS[scope].windowMinutes * 60_000))
    .executeTakeFirstOrThrow();
  return n;
}

/** Whether the public form is on: /report is a 404 and no link shows when it is off. */
export async function reportsEnabled(db: Db): Promise<boolean> {
  return (await getPage(db)).reports_enabled;
}

/**
 * The public form: refused (not_found) when reports are off; a filled
 * honeypot is answered as success and stores nothing; then parsed, the
 * proof of work checked when it is on, limited and stored in one
 * transaction. Past the per-IP limit: rate_limited. What the reporter gets
 * wrong is said in `locale` (by default the page's).
 */
export async function submitReport(db: Db, input: unknown, context: { ip?: string | null; locale?: Locale } = {}): Promise<{ ok: true }> {
  const page = await getPage(db);
  if (!page.reports_enabled) throw notFound("problem reports");
  if (honeypotFilled(input)) return { ok: true };
  const locale = context.locale ?? page.default_locale;
  const data = parseReport(input, locale);
  const ipKey = context.ip ? limitKeyOf(context.ip) : null;
  const componentKey = data.component ?? "none";
  return db.transaction().execute(async (trx) => {
    if (page.reports_challenge) await spendReportChallenge(trx, (input as Record<string, unknown>)[CHALLENGE_FIELD], locale);
    // Always the IP's turn first, then the component's: one order, no deadlock.
    if (ipKey) {
      await takeTurn(trx, `ip:${ipKey}`);
      if ((await attemptsWithin(trx, "ip", ipKey)) >= REPORT_LIMITS.ip.max) {
        throw new AppError("rate_limited", "too many reports; try again later", { retryAfterSeconds: REPORT_LIMITS.ip.windowMinutes * 60 });
      }
    }
    if (data.component) {
      const known = await trx.selectFrom("components").select("id").where("id", "=", data.component).where("archived_at", "is", null).executeTakeFirst();
      if (!known) throw invalidInput([{ field: "component", message: translator(locale, "report")("errors.component") }]);
    }
    await takeTurn(trx, `component:${componentKey}`);
    const flooded = (await attemptsWithin(trx, "component", componentKey)) >= REPORT_LIMITS.component.max;
    await trx
      .insertInto("report_attempts")
      .values([...(ipKey ? [{ scope: "ip" as const, value: ipKey }] : []), { scope: "component" as const, value: componentKey }])
      .execute();
    if (!flooded) {
      await trx
        .insertInto("problem_reports")
        .values({ id: publicId(), component_id: data.component, description: data.description, email: data.email, locale })
        .execute();
    }
    return { ok: true as const };
  });
}

export const reportGroupsQuery = z.object({
  /** Minutes per window: reports for one component within one window are one group. */
  windowMinutes: wholeNumber(1, 1440).default(60),
});

export interface ReportGroup {
  /** null: "not sure / the whole service". */
  componentId: string | null;
  componentName: string | null;
  windowStart: Date;
  count: number;
  withEmail: number;
  latestAt: Date;
  /** The newest few, newest first: plain text, never rendered as markdown or HTML; emails only for editors and owners. */
  latest: { description: string; email: string | null; at: Date }[];
}

const LATEST_PER_GROUP = 3;
const GROUPS_SHOWN = 50;

/** The admin's inbox: reports grouped per component and time window, newest window first. */
export async function listReportGroups(db: Db, actor: Actor, query: { windowMinutes?: number | string } = {}): Promise<ReportGroup[]> {
  requireRole(actor, "viewer");
  const { windowMinutes } = parseInput(reportGroupsQuery, query);
  // A literal (a parsed whole number): "group by 3" and "order by 3" name this very expression.
  const seconds = sql.lit(windowMinutes * 60);
  const windowStart = sql<Date>`to_timestamp(floor(extract(epoch from r.created_at) / ${seconds}) * ${seconds})`;
  const rows = await db
    .selectFrom("problem_reports as r")
    .leftJoin("components as c", "c.id", "r.component_id")
    .select([
      "r.component_id",
      "c.name",
      windowStart.as("window_start"),
      sql<number>`count(*)::int`.as("count"),
      sql<number>`count(r.email)::int`.as("with_email"),
      sql<Date>`max(r.created_at)`.as("latest_at"),
      sql<{ description: string; email: string | null; at: string }[]>`to_json((array_agg(json_build_object('description', r.description, 'email', r.email, 'at', r.created_at) order by r.created_at desc, r.id))[1:${sql.lit(LATEST_PER_GROUP)}])`.as(
        "latest",
      ),
    ])
    .groupBy(["r.component_id", "c.name", sql`3`])
    .orderBy(sql`3`, "desc")
    .orderBy(sql`count(*)`, "desc")
    .orderBy("c.name")
    .limit(GROUPS_SHOWN)
    .execute();
  // A reporter's address is for whoever may answer them; viewers see how many left one.
  const seesEmails = can(actor, "editor");
  return rows.map((r) => {
    const latest = typeof r.latest === "string" ? (JSON.parse(r.latest) as typeof r.latest) : r.latest;
    return {
      componentId: r.component_id,
      componentName: r.name,
      windowStart: new Date(r.window_start),
      count: r.count,
      withEmail: r.with_email,
      latestAt: new Date(r.latest_at),
      latest: latest.map((x) => ({ description: x.description, email: seesEmails ? x.email : null, at: new Date(x.at) })),
    };
  });
}

/**
 * How long a report is kept: long enough to look back on a quarter's
 * incidents, not forever (reports may carry the reporter's email).
 */
export const REPORTS_KEPT_DAYS = limitSettings.REPORTS_KEPT_DAYS;

/** Retention: reports older than REPORTS_KEPT_DAYS. */
export async function pruneProblemReports(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom("problem_reports")
    .where("created_at", "<", new Date(now.getTime() - REPORTS_KEPT_DAYS * 86_400_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Retention: report attempts older than the longest limit window. */
export async function pruneReportAttempts(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom("report_attempts")
    .where("at", "<", new Date(now.getTime() - REPORT_ATTEMPTS_KEPT_MINUTES * 60_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/* The public route's entry points (routes never import db/): the same functions on the process-wide database. */
export const problemReports = {
  enabled: async () => reportsEnabled(await processDb()),
  /** Whether the form is on and asks for a proof of work (lib/domain/report-challenges.ts), and the page's default locale, in one read. */
  settings: async () => {
    const page = await getPage(await processDb());
    return { enabled: page.reports_enabled, challenged: page.reports_challenge, defaultLocale: page.default_locale };
  },
  submit: async (input: unknown, ip: string | null, locale: Locale) => submitReport(await processDb(), input, { ip, locale }),
};

import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import { notFound } from "#lib/core/errors.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { tokenSecret } from "./subscribers/links.ts";

/*
 * Hearing back: a reporter who left an address is told once when the
 * incident declared from their reports resolves. The link between reports
 * and incident is made when an editor declares from a group in the inbox
 * (component × window); the email is queued in the transaction that
 * resolves the incident and sent by lib/delivery/report-followups.ts.
 */

/**
 * A group of the inbox, as the "declare from these reports" link carries it:
 * `<component id or none>.<window start, epoch seconds>.<window minutes>`.
 */
export const reportGroupRef = z
  .string()
  .max(100)
  .transform((value, ctx) => {
    const [component, start, minutes] = value.split(".");
    const parsed = z
      .object({
        component: z.union([z.literal("none"), publicIdField("component")]),
        start: z.coerce.number().int().min(0).max(32503680000),
        minutes: z.coerce.number().int().min(1).max(1440),
      })
      .safeParse({ component, start, minutes });
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: "is not a group of reports" });
      return z.NEVER;
    }
    return {
      componentId: parsed.data.component === "none" ? null : parsed.data.component,
      from: new Date(parsed.data.start * 1000),
      to: new Date((parsed.data.start + parsed.data.minutes * 60) * 1000),
    };
  });
export type ReportGroupRef = z.output<typeof reportGroupRef>;

export function reportGroupKey(group: { componentId: string | null; windowStart: Date }, windowMinutes: number): string {
  return `${group.componentId ?? "none"}.${Math.floor(group.windowStart.getTime() / 1000)}.${windowMinutes}`;
}

/** Inside the declare transaction: the group's reports not yet tied to an incident now belong to this one. */
export async function linkReports(trx: Tx, incidentId: string, group: ReportGroupRef): Promise<number> {
  const result = await trx
    .updateTable("problem_reports")
    .set({ incident_id: incidentId })
    .where((eb) => (group.componentId ? eb("component_id", "=", group.componentId) : eb("component_id", "is", null)))
    .where("created_at", ">=", group.from)
    .where("created_at", "<", group.to)
    .where("incident_id", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Inside the transaction that resolves an incident: one email per address
 * among its reports, unless the address opted out. The primary key keeps it
 * to one even when the incident is reopened and resolved again.
 */
export async function queueReportFollowups(trx: Tx, incidentId: string): Promise<void> {
  await trx
    .insertInto("report_followups")
    .columns(["incident_id", "email"])
    .expression((eb) =>
      eb
        .selectFrom("problem_reports as r")
        .select(["r.incident_id", "r.email"])
        .distinct()
        .where("r.incident_id", "=", incidentId)
        .where("r.email", "is not", null)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom("report_optouts as o").select("o.email").whereRef("o.email", "=", "r.email")))),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
}

function optOutSignature(secret: string, email: string): string {
  return createHmac("sha256", secret).update(`report-optout:${email}`).digest("base64url");
}

/** The reporter's "never email me about my reports" link token: the address and its signature. */
export async function optOutToken(db: Db | Tx, email: string): Promise<string> {
  return `${Buffer.from(email).toString("base64url")}.${optOutSignature(await tokenSecret(db), email)}`;
}

/** The address a token stands for, or null when it was not made by optOutToken. */
export async function optOutEmail(db: Db, token: string): Promise<string | null> {
  const [encoded, signature] = token.split(".");
  if (!encoded || !signature || token.length > 1000) return null;
  const email = Buffer.from(encoded, "base64url").toString("utf8");
  const expected = Buffer.from(optOutSignature(await tokenSecret(db), email));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? email : null;
}

/** The reporter's own link: no more follow-ups to this address, the queued ones cancelled. */
export async function optOutOfReportFollowups(db: Db, token: string): Promise<{ email: string }> {
  const email = await optOutEmail(db, token);
  if (!email) throw notFound("link");
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("report_optouts").values({ email }).onConflict((oc) => oc.doNothing()).execute();
    await trx.updateTable("report_followups").set({ status: "cancelled" }).where("email", "=", email).where("status", "=", "queued").execute();
  });
  return { email };
}

/** Whether the address has opted out (the opt-out page says so). */
export async function hasOptedOut(db: Db, email: string): Promise<boolean> {
  return !!(await db.selectFrom("report_optouts").select("email").where("email", "=", email).executeTakeFirst());
}

/** Retention: follow-ups are kept as long as the reports they answer. */
export async function pruneReportFollowups(db: Db, keptDays: number, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom("report_followups")
    .where("status", "in", ["sent", "failed", "cancelled"])
    .where("created_at", "<", new Date(now.getTime() - keptDays * 86_400_000))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/* The opt-out pages' entry points (routes never import db/): the same functions on the process-wide database. */
export const reportOptOuts = {
  find: async (token: string) => {
    const db = await processDb();
    const email = await optOutEmail(db, token);
    return email ? { email, optedOut: await hasOptedOut(db, email) } : null;
  },
  optOut: async (token: string) => optOutOfReportFollowups(await processDb(), token),
};

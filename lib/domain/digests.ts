import { z } from "zod";
import { withAuthTables } from "#db/auth-schema.ts";
import type { Db } from "#db/client.ts";
import { renderReliabilityDigestEmail } from "#emails/render.tsx";
import { invalidInput } from "#lib/core/errors.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { figureText } from "#lib/core/report-table.ts";
import { dayKey } from "#lib/core/time.ts";
import { createMailer, senderAddress } from "#lib/delivery/mailer.ts";
import type { Actor } from "./actors.ts";
import { reliabilityDocument } from "./measures.ts";
import { getPage } from "./page-settings.ts";
import { write } from "./write.ts";

/*
 * The monthly reliability digest: owners who opt in get last month's
 * headline figures once the month is over in the page's zone. The clock
 * (runMaintenanceClock) asks every tick; one row per month in digest_sends
 * makes it once across processes: of two racing, one insert wins and only
 * that one sends. A send that fails is logged, not retried (the report is
 * always in the admin area).
 */

/** The digest's figures, by the report's keys, in this order. */
const DIGEST_KEYS = [
  "availability",
  "incidents",
  "incidents.SEV-1",
  "incidents.SEV-2",
  "acknowledge.median",
  "firstUpdate.median",
  "resolve.median",
  "customerImpactHours",
  "mtbf",
  "promises.share",
  "postmortems.outstanding",
];

export const digestInput = z.object({ enabled: z.boolean() });

/** An owner turns their own digest on or off. */
export async function setDigest(db: Db, actor: Actor, input: unknown): Promise<boolean> {
  return write(db, actor, input, {
    role: "owner",
    schema: digestInput,
    public: false,
    async change(trx, { enabled }) {
      const user = await withAuthTables(trx).selectFrom("users").select("id").where("id", "=", actor.id).executeTakeFirst();
      if (!user) throw invalidInput([{ field: "enabled", message: "is for a signed-in owner" }]);
      if (enabled) await trx.insertInto("digest_subscriptions").values({ user_id: actor.id }).onConflict((oc) => oc.doNothing()).execute();
      else await trx.deleteFrom("digest_subscriptions").where("user_id", "=", actor.id).execute();
      return { result: enabled, audit: { action: "user.digest", subjectType: "user", subjectId: actor.id, after: { enabled } } };
    },
  });
}

export async function hasDigest(db: Db, userId: string): Promise<boolean> {
  return !!(await db.selectFrom("digest_subscriptions").select("user_id").where("user_id", "=", userId).executeTakeFirst());
}

/** The month before `now`'s month in the page's zone, as YYYY-MM. */
function lastMonth(now: Date, zone: string): string {
  const [year, month] = dayKey(now, zone).split("-").map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, "0")}`;
}

/** Sends last month's digest if no process has yet; returns how many owners it went to. */
export async function sendMonthlyDigest(db: Db, now: Date = new Date()): Promise<number> {
  const recipients = await withAuthTables(db)
    .selectFrom("users")
    .innerJoin("digest_subscriptions", "digest_subscriptions.user_id", "users.id")
    .select("users.email")
    .where("users.role", "=", "owner")
    .where((eb) => eb.or([eb("users.banned", "is", null), eb("users.banned", "=", false)]))
    .orderBy("users.email")
    .execute();
  // Nobody asked: claim nothing, so an owner who opts in later this month still gets it.
  if (recipients.length === 0) return 0;
  const page = await getPage(db);
  const month = lastMonth(now, page.time_zone);
  const claimed = await db
    .insertInto("digest_sends")
    .values({ month, recipients: recipients.length })
    .onConflict((oc) => oc.column("month").doNothing())
    .returning("month")
    .executeTakeFirst();
  if (!claimed) return 0;

  const doc = await reliabilityDocument(db, { month }, now);
  const byKey = new Map(doc.figures.map((f) => [f.key, f]));
  const base = pageUrl(page.url);
  const rendered = await renderReliabilityDigestEmail(
    { name: page.name, url: page.url, timeZone: page.time_zone },
    {
      monthLabel: new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long" }).format(new Date(`${month}-01T00:00:00Z`)),
      figures: DIGEST_KEYS.map((key) => byKey.get(key)!).map((f) => ({
        label: f.label,
        current: figureText(f.current, f.unit),
        previous: figureText(f.previous, f.unit),
      })),
      reportUrl: `${base}/admin/reliability?month=${month}`,
    },
  );
  const mailer = createMailer(db);
  const from = senderAddress(page);
  let sent = 0;
  for (const { email } of recipients) {
    const outcome = await mailer.send({ ...rendered, from, to: email }, `reliability-digest/${month}/${email}`);
    if (outcome.ok) sent++;
    else console.error(`[digest] the monthly digest to an owner failed: ${outcome.message}`);
  }
  return sent;
}

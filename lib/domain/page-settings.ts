import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { Page, Severity, SeverityTargets } from "#db/schema.ts";
import type { Actor } from "./actors.ts";
import { text } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { severityMeta, SEVERITIES } from "#lib/core/statuses.ts";
import { isValidTimeZone } from "#lib/core/time.ts";
import { LOCALES, type Locale } from "#lib/core/locales.ts";
import { invalidInput } from "#lib/core/errors.ts";
import { write } from "./write.ts";

// http(s) only: these become links (and a logo) on the public pages and in emails, where a
// javascript: or data: URL would run or show whatever it carries.
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });
const optionalUrl = httpUrl.nullish().or(z.literal("").transform(() => null));

export const pageSettingsInput = z.object({
  name: text({ max: 100 }),
  url: httpUrl.transform(pageUrl),
  timeZone: z.string().max(64, "is not a known IANA time zone").refine(isValidTimeZone, "is not a known IANA time zone").default("Etc/UTC"),
  supportUrl: optionalUrl,
  logoUrl: optionalUrl,
  senderEmail: z.email("must be an email address").nullish().or(z.literal("").transform(() => null)),
  cadenceMinutes: z
    .object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int().min(1).max(1440).nullable()])))
    .optional(),
  /** The public /report form; left as it is when not given. */
  reportsEnabled: z.boolean().optional(),
  /** The report form's proof of work (lib/domain/report-challenges.ts); left as it is when not given. */
  reportsChallenge: z.boolean().optional(),
  /** Served unprefixed; must be one of `locales`. Left as they are when not given. */
  defaultLocale: z.enum(LOCALES, { error: "is not a supported language" }).optional(),
  locales: z.array(z.enum(LOCALES, { error: "is not a supported language" })).min(1, "needs at least one language").optional(),
}).superRefine((data, ctx) => {
  if (data.defaultLocale && data.locales && !data.locales.includes(data.defaultLocale)) {
    ctx.addIssue({ code: "custom", path: ["defaultLocale"], message: "must be one of the languages offered" });
  }
});

const DEFAULT_PAGE = {
  name: "Candor",
  url: pageUrl(process.env.PUBLIC_URL ?? "http://localhost:3000"),
  timeZone: process.env.PAGE_TIME_ZONE ?? "Etc/UTC",
};

/** The page's settings; created with defaults the first time anything asks. */
export async function getPage(db: Db | Tx): Promise<Page> {
  const page = await db.selectFrom("page").selectAll().executeTakeFirst();
  if (page) return page;
  await db
    .insertInto("page")
    .values({ id: publicId(), name: DEFAULT_PAGE.name, url: DEFAULT_PAGE.url, time_zone: DEFAULT_PAGE.timeZone })
    .onConflict((oc) => oc.column("singleton").doNothing())
    .execute();
  return db.selectFrom("page").selectAll().executeTakeFirstOrThrow();
}

export async function updatePageSettings(db: Db, actor: Actor, input: unknown): Promise<Page> {
  return write(db, actor, input, {
    role: "owner",
    schema: pageSettingsInput,
    public: true,
    async change(trx, data) {
      const before = await getPage(trx);
      const after = await trx
        .updateTable("page")
        .set({
          name: data.name,
          url: data.url,
          time_zone: data.timeZone,
          support_url: data.supportUrl ?? null,
          logo_url: data.logoUrl ?? null,
          sender_email: data.senderEmail ?? null,
          ...(data.cadenceMinutes ? { cadence_minutes: JSON.stringify(data.cadenceMinutes) } : {}),
          ...(data.reportsEnabled === undefined ? {} : { reports_enabled: data.reportsEnabled }),
          ...(data.reportsChallenge === undefined ? {} : { reports_challenge: data.reportsChallenge }),
          ...languages(before, data),
          updated_at: new Date(),
        })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "page.update", subjectType: "page", subjectId: before.id, before, after } };
    },
  });
}

/** The languages part of a settings change: the default must stay among those offered, in LOCALES' order. */
function languages(before: Page, data: z.infer<typeof pageSettingsInput>): { default_locale?: Locale; locales?: Locale[] } {
  if (data.defaultLocale === undefined && data.locales === undefined) return {};
  const offered = data.locales ? LOCALES.filter((l) => data.locales!.includes(l)) : before.locales;
  const defaultLocale = data.defaultLocale ?? before.default_locale;
  if (!offered.includes(defaultLocale)) throw invalidInput([{ field: "defaultLocale", message: "must be one of the languages offered" }]);
  return { default_locale: defaultLocale, locales: offered };
}

const targetMinutes = z.number({ error: "must be a number" }).int("must be a whole number").min(1, "is at least 1").max(525_600, "is at most a year").nullable();

/** Per-severity targets in minutes (null: none); lib/core/milestones.ts says what each counts from. */
export const targetsInput = z.object({
  targets: z.object(
    Object.fromEntries(
      SEVERITIES.map((s) => [s, z.object({ acknowledge: targetMinutes, firstUpdate: targetMinutes, resolve: targetMinutes, postmortem: targetMinutes })]),
    ) as Record<Severity, z.ZodObject<Record<keyof SeverityTargets, typeof targetMinutes>>>,
  ),
});

export async function updateTargets(db: Db, actor: Actor, input: unknown): Promise<Page> {
  return write(db, actor, input, {
    role: "owner",
    schema: targetsInput,
    public: false,
    async change(trx, data) {
      const before = await getPage(trx);
      const after = await trx
        .updateTable("page")
        .set({ targets: JSON.stringify(data.targets), updated_at: new Date() })
        .where("id", "=", before.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "page.targets", subjectType: "page", subjectId: before.id, before: before.targets, after: after.targets } };
    },
  });
}

/** Minutes until the next public update is due for a severity (null: no promise). */
export function cadenceFor(page: Page, severity: Severity): number | null {
  const configured = page.cadence_minutes?.[severity];
  return configured === undefined ? severityMeta[severity].cadenceMinutes : configured;
}

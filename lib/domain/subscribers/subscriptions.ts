import { sql } from "kysely";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import { AppError, invalidInput, notFound, parseInput } from "#lib/core/errors.ts";
import { text } from "#lib/core/forms.ts";
import { PUBLIC_ID, publicId } from "#lib/core/ids.ts";
import { channelMeta, type EndpointChannel } from "#lib/core/channels.ts";
import { LOCALES, type Locale } from "#lib/core/locales.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { ensureManageToken, findToken, linkToken, sendConfirmation, tokenSecret } from "./links.ts";

/*
 * Subscriptions as the public sees them: double opt-in through the
 * subscribe form, components to follow, the manage and unsubscribe links,
 * and the provider's bounces and complaints.
 */
const LIMITS = {
  ip: { max: Number(process.env.SUBSCRIBE_LIMIT_PER_IP ?? 10), windowMinutes: 60 },
  email: { max: Number(process.env.SUBSCRIBE_LIMIT_PER_EMAIL ?? 3), windowMinutes: 24 * 60 },
};
/** Attempts older than the longest throttle window count for nothing: pruned. */
export const ATTEMPTS_KEPT_MINUTES = Math.max(LIMITS.ip.windowMinutes, LIMITS.email.windowMinutes);

// Control characters, bidi overrides and lone surrogates are refused; invisible edges trimmed (lib/core/forms.ts).
export const subscriberEmail = text({ max: 320 })
  .transform((value) => value.toLowerCase())
  .pipe(z.email("must be an email address"));

// Checked for shape before any query: a NUL or a 5 MB string never reaches the database.
export const componentIds = z.array(z.string().regex(PUBLIC_ID, "is not a component")).max(500).default([]);

/** The language of a subscriber's emails; a blank choice is no choice. */
export const subscriberLocale = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.enum(LOCALES, { error: "is not a language Candor speaks" }).optional());

export const subscribeInput = z.object({
  email: subscriberEmail,
  /** Empty: all components, including ones added later. */
  components: componentIds,
  /** Not given: the page's default locale. */
  locale: subscriberLocale,
});

export async function validComponents(trx: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom("components").select("id").where("id", "in", ids).where("archived_at", "is", null).execute();
  const known = new Set(rows.map((r) => r.id));
  const bad = ids.findIndex((id) => !known.has(id));
  if (bad >= 0) throw invalidInput([{ field: `components.${bad}`, message: "is not a component" }]);
  return [...known];
}

export async function setComponents(trx: Tx, subscriberId: string, ids: string[]) {
  await trx.deleteFrom("subscriber_components").where("subscriber_id", "=", subscriberId).execute();
  if (ids.length > 0) {
    await trx
      .insertInto("subscriber_components")
      .values(ids.map((component_id) => ({ subscriber_id: subscriberId, component_id })))
      .execute();
  }
  await trx
    .updateTable("subscribers")
    .set({ all_components: ids.length === 0, updated_at: new Date() })
    .where("id", "=", subscriberId)
    .execute();
}

export async function overLimit(trx: Tx, scope: "ip" | "email", value: string): Promise<boolean> {
  const { max, windowMinutes } = LIMITS[scope];
  const { n } = await trx
    .selectFrom("subscribe_attempts")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("scope", "=", scope)
    .where("value", "=", value)
    .where("at", ">", new Date(Date.now() - windowMinutes * 60_000))
    .executeTakeFirstOrThrow();
  return n >= max;
}

/** What the subscribe form asked for, once parsed, throttled and checked. */
export interface SubscribeRequest {
  email: string;
  components: string[];
  locale: Locale;
  ip: string | null;
}

/*
 * The public subscribe form, step one (in the request): parse, throttle,
 * check the components, record the attempt. The same statements run
 * whatever the address (new, pending, active, throttled), so neither the
 * answer nor its timing says whether it is known. Too many attempts from
 * one IP are refused; too many for one address are dropped silently (null:
 * nothing to do), so the form can't be used to mail-bomb someone.
 */
export async function acceptSubscription(db: Db, input: unknown, context: { ip?: string | null } = {}): Promise<SubscribeRequest | null> {
  const data = parseInput(subscribeInput, input);
  // Limits count by an IPv6 address's /64 (lib/core/ip-addresses.ts); consent records keep the address itself.
  const ip = context.ip ?? null;
  const ipKey = ip ? limitKeyOf(ip) : null;
  return db.transaction().execute(async (trx) => {
    // Answered as such, without saying anything about the email.
    if (ipKey && (await overLimit(trx, "ip", ipKey))) throw new AppError("rate_limited", "too many attempts; try again later");
    const quiet = await overLimit(trx, "email", data.email);
    const components = await validComponents(trx, data.components);
    const locale = data.locale ?? (await getPage(trx)).default_locale;
    await trx
      .insertInto("subscribe_attempts")
      .values([...(ipKey ? [{ scope: "ip" as const, value: ipKey }] : []), { scope: "email" as const, value: data.email }])
      .execute();
    return quiet ? null : { email: data.email, components, locale, ip };
  });
}

/*
 * Step two (after the answer is sent): a new or lapsed address becomes
 * pending with a confirmation email; an active one is left as it is and
 * sent nothing (the manage link in any email changes components).
 */
export async function enrol(db: Db, request: SubscribeRequest): Promise<void> {
  const secret = await tokenSecret(db);
  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("subscribers").selectAll().where("email", "=", request.email).forUpdate().executeTakeFirst();
    if (existing?.status === "active") return;
    const subscriber =
      existing ??
      (await trx
        .insertInto("subscribers")
        .values({ id: publicId(), email: request.email, locale: request.locale, consent_source: "form", consent_ip: request.ip })
        .returningAll()
        .executeTakeFirstOrThrow());
    if (existing) {
      await trx
        .updateTable("subscribers")
        .set({ status: "pending", locale: request.locale, consent_source: "form", consent_ip: request.ip, updated_at: new Date() })
        .where("id", "=", existing.id)
        .execute();
    }
    await setComponents(trx, subscriber.id, request.components);
    await sendConfirmation(trx, secret, subscriber.id);
  });
}

/** Both steps at once (imports, tests); the form runs step two after its answer. */
export async function subscribe(db: Db, input: unknown, context: { ip?: string | null } = {}): Promise<{ ok: true }> {
  const request = await acceptSubscription(db, input, context);
  if (request) await enrol(db, request);
  return { ok: true };
}

/** What a confirm link leads to, without acting on it (GET shows a button): an address, or a channel's kind and host. */
export async function confirmationFor(db: Db, token: string): Promise<{ email: string } | { endpoint: string } | null> {
  const row = await findToken(db, token, "confirm");
  if (!row || row.used_at) return null;
  if (row.email !== null) return { email: maskEmail(row.email) };
  const endpoint = await db.selectFrom("subscriber_endpoints").select("host").where("subscriber_id", "=", row.id).executeTakeFirst();
  return { endpoint: `${channelMeta[row.channel as EndpointChannel].label} on ${endpoint?.host ?? "?"}` };
}

/**
 * Follows a confirm link: the subscription becomes active. Returns the
 * manage token for the next page (email only: a channel has no manage page).
 */
export async function confirmSubscription(db: Db, token: string): Promise<{ manageToken: string | null }> {
  const secret = await tokenSecret(db);
  return db.transaction().execute(async (trx) => {
    const row = await findToken(trx, token, "confirm");
    if (!row || row.used_at) throw notFound("confirmation link");
    const now = new Date();
    await trx.updateTable("subscriber_tokens").set({ used_at: now }).where("id", "=", row.tokenId).execute();
    await trx
      .updateTable("subscribers")
      .set({ status: "active", confirmed_at: now, unsubscribed_at: null, updated_at: now })
      .where("id", "=", row.id)
      .execute();
    if (row.channel !== "email") return { manageToken: null };
    const manageId = await ensureManageToken(trx, secret, row.id);
    return { manageToken: linkToken(secret, manageId) };
  });
}

/** "a•••@example.com": enough for the owner to recognise, not enough to harvest. */
export function maskEmail(address: string): string {
  const [local, domain] = address.split("@");
  return `${local.slice(0, 1)}•••@${domain}`;
}

/** The manage page's data for a token; null if the link is not valid (any more). */
export async function subscriptionFor(db: Db, token: string) {
  const row = await findToken(db, token, "manage");
  if (!row || row.email === null) return null;
  const [chosen, page] = await Promise.all([
    db.selectFrom("subscriber_components").select("component_id").where("subscriber_id", "=", row.id).execute(),
    getPage(db),
  ]);
  return {
    email: maskEmail(row.email),
    status: row.status,
    allComponents: row.all_components,
    components: chosen.map((c) => c.component_id),
    locale: row.locale,
    /** The languages to choose from: the page's, and the subscriber's own if the page no longer offers it. */
    locales: page.locales.includes(row.locale) ? page.locales : [...page.locales, row.locale],
  };
}

export const manageInput = z.object({
  components: componentIds,
  /** Not given: the language stays as it is. */
  locale: subscriberLocale,
});

/** The link first: a bogus token is "not found" whatever else was posted. */
export async function updateSubscription(db: Db, token: string, input: unknown): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findToken(trx, token, "manage");
    if (!row) throw notFound("subscription");
    const data = parseInput(manageInput, input);
    await setComponents(trx, row.id, await validComponents(trx, data.components));
    if (data.locale) await setLocale(trx, row.id, data.locale);
  });
}

/** The language of a subscriber's next emails (one already being sent keeps the language it was rendered in). */
export async function setLocale(trx: Tx, subscriberId: string, locale: Locale): Promise<void> {
  await trx.updateTable("subscribers").set({ locale, updated_at: new Date() }).where("id", "=", subscriberId).execute();
}

/** Stops all mail to a subscriber and drops what is still waiting to be sent. */
export async function stopMail(trx: Tx, subscriberId: string, status: "unsubscribed" | "bounced" | "complained") {
  const now = new Date();
  await trx
    .updateTable("subscribers")
    .set({ status, updated_at: now, ...(status === "unsubscribed" ? { unsubscribed_at: now } : {}) })
    .where("id", "=", subscriberId)
    .execute();
  await trx
    .updateTable("deliveries")
    .set({ status: status === "unsubscribed" ? "superseded" : "bounced", last_error: `subscriber ${status}`, updated_at: now })
    .where("subscriber_id", "=", subscriberId)
    .where("status", "=", "queued")
    .execute();
}

/** Unsubscribe through a link (the confirm button, or the RFC 8058 one-click POST). */
export async function unsubscribe(db: Db, token: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findToken(trx, token, "manage");
    if (!row) throw notFound("subscription");
    if (row.status === "active" || row.status === "pending") await stopMail(trx, row.id, "unsubscribed");
  });
}

/** A bounce or complaint reported by the provider (webhook): no more mail to that address. */
export async function markUndeliverable(db: Db, address: string, reason: "bounced" | "complained"): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("subscribers").select("id").where("email", "=", address.trim().toLowerCase()).forUpdate().executeTakeFirst();
    if (!row) return false;
    await stopMail(trx, row.id, reason);
    return true;
  });
}

/*
 * The public routes' entry points (routes never import db/): the same
 * functions on the process-wide database.
 */
export const subscriptions = {
  /** Step two goes to `later` (the form passes Next's after()): the answer's timing never depends on the address. */
  subscribe: async (input: unknown, ip: string | null, later: (work: () => Promise<void>) => void) => {
    const db = await processDb();
    const request = await acceptSubscription(db, input, { ip });
    if (request) later(() => enrol(db, request).catch((error: unknown) => console.error("[subscribe]", error)));
  },
  confirmation: async (token: string) => confirmationFor(await processDb(), token),
  confirm: async (token: string) => confirmSubscription(await processDb(), token),
  find: async (token: string) => subscriptionFor(await processDb(), token),
  update: async (token: string, input: unknown) => updateSubscription(await processDb(), token, input),
  unsubscribe: async (token: string) => unsubscribe(await processDb(), token),
  markUndeliverable: async (address: string, reason: "bounced" | "complained") =>
    markUndeliverable(await processDb(), address, reason),
};

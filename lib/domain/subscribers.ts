import { createHash, createHmac, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import type { SubscriberStatus } from "#db/schema.ts";
import { requireRole, type Actor } from "./actors.ts";
import { recordAudit } from "./audit.ts";
import { limitKeyOf } from "#lib/http/client-ip.ts";
import { InputError, NotFoundError, parseInput } from "#lib/core/errors.ts";
import { publicIdField, text } from "#lib/core/forms.ts";
import { PUBLIC_ID, publicId } from "#lib/core/ids.ts";

/*
 * Subscribers: double opt-in, components to follow, links that can't be
 * abused. A link token is `<row id>.<HMAC(secret, row id)>`: unguessable,
 * stored only as its SHA-256, revocable per row, and re-derivable by the
 * sender so a retried email is byte-identical (idempotency compares bodies).
 */
export const CONFIRM_DAYS = 7;
const LIMITS = {
  ip: { max: Number(process.env.SUBSCRIBE_LIMIT_PER_IP ?? 10), windowMinutes: 60 },
  email: { max: Number(process.env.SUBSCRIBE_LIMIT_PER_EMAIL ?? 3), windowMinutes: 24 * 60 },
};
/** Attempts older than the longest throttle window count for nothing: pruned. */
const ATTEMPTS_KEPT_MINUTES = Math.max(LIMITS.ip.windowMinutes, LIMITS.email.windowMinutes);

export const SUBSCRIBER_STATUSES = ["pending", "active", "unsubscribed", "bounced", "complained"] as const satisfies readonly SubscriberStatus[];

/** Too many subscribe attempts from one address: answered as such, without saying anything about the email. */
export class RateLimitedError extends Error {
  constructor() {
    super("too many attempts; try again later");
    this.name = "RateLimitedError";
  }
}

// Per database: tests and benchmarks open several in one process.
const secrets = new WeakMap<object, string>();

/** The secret link tokens are derived with: CANDOR_SECRET, else one generated once and kept in the database. */
export async function tokenSecret(db: Db | Tx): Promise<string> {
  if (process.env.CANDOR_SECRET) return process.env.CANDOR_SECRET;
  const known = secrets.get(db);
  if (known) return known;
  await db
    .insertInto("mail_settings")
    .values({ token_secret: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("singleton").doNothing())
    .execute();
  const row = await db.selectFrom("mail_settings").select("token_secret").executeTakeFirstOrThrow();
  secrets.set(db, row.token_secret);
  return row.token_secret;
}

export function linkToken(secret: string, tokenId: string): string {
  return `${tokenId}.${createHmac("sha256", secret).update(tokenId).digest("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function subscriberLinks(pageUrl: string, manageToken: string) {
  return {
    manage: `${pageUrl}/manage/${manageToken}`,
    unsubscribe: `${pageUrl}/unsubscribe/${manageToken}`,
    oneClick: `${pageUrl}/unsubscribe/${manageToken}/one-click`,
  };
}

export function confirmUrl(pageUrl: string, token: string): string {
  return `${pageUrl}/confirm/${token}`;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{10,40}\.[A-Za-z0-9_-]{43}$/;

/**
 * A token from a link's path segment, or "" when it can't be one. Tokens are
 * URL-safe, but a mail client may still percent-encode; malformed encoding
 * (`%ZZ`) is simply no token, which every lookup answers as "not valid".
 */
export function tokenFromPath(segment: string): string {
  let token: string;
  try {
    token = decodeURIComponent(segment);
  } catch {
    return "";
  }
  return TOKEN_SHAPE.test(token) ? token : "";
}

async function issueToken(trx: Tx, secret: string, subscriberId: string, purpose: "confirm" | "manage") {
  const id = randomBytes(16).toString("base64url");
  await trx
    .insertInto("subscriber_tokens")
    .values({
      id,
      subscriber_id: subscriberId,
      purpose,
      token_hash: hashToken(linkToken(secret, id)),
      expires_at: purpose === "confirm" ? new Date(Date.now() + CONFIRM_DAYS * 86_400_000) : null,
    })
    .execute();
  return id;
}

/** The confirmation email goes through the same outbox as every other email. */
async function sendConfirmation(trx: Tx, secret: string, subscriberId: string) {
  await trx
    .updateTable("subscriber_tokens")
    .set({ revoked_at: new Date() })
    .where("subscriber_id", "=", subscriberId)
    .where("purpose", "=", "confirm")
    .where("revoked_at", "is", null)
    .execute();
  const tokenId = await issueToken(trx, secret, subscriberId, "confirm");
  await trx
    .insertInto("deliveries")
    .values({ subscriber_id: subscriberId, kind: "confirmation", token_id: tokenId })
    .execute();
}

async function ensureManageToken(trx: Tx, secret: string, subscriberId: string) {
  const existing = await trx
    .selectFrom("subscriber_tokens")
    .select("id")
    .where("subscriber_id", "=", subscriberId)
    .where("purpose", "=", "manage")
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return existing?.id ?? issueToken(trx, secret, subscriberId, "manage");
}

// Control characters, bidi overrides and lone surrogates are refused; invisible edges trimmed (lib/core/forms.ts).
const email = text({ max: 320 })
  .transform((value) => value.toLowerCase())
  .pipe(z.email("must be an email address"));

// Checked for shape before any query: a NUL or a 5 MB string never reaches the database.
const componentIds = z.array(z.string().regex(PUBLIC_ID, "is not a component")).max(500).default([]);

export const subscribeInput = z.object({
  email,
  /** Empty: all components, including ones added later. */
  components: componentIds,
});

async function validComponents(trx: Tx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx.selectFrom("components").select("id").where("id", "in", ids).where("archived_at", "is", null).execute();
  const known = new Set(rows.map((r) => r.id));
  const bad = ids.findIndex((id) => !known.has(id));
  if (bad >= 0) throw new InputError([{ field: `components.${bad}`, message: "is not a component" }]);
  return [...known];
}

async function setComponents(trx: Tx, subscriberId: string, ids: string[]) {
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

async function overLimit(trx: Tx, scope: "ip" | "email", value: string): Promise<boolean> {
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
  // Limits count by an IPv6 address's /64 (lib/http/client-ip.ts); consent records keep the address itself.
  const ip = context.ip ?? null;
  const ipKey = ip ? limitKeyOf(ip) : null;
  return db.transaction().execute(async (trx) => {
    if (ipKey && (await overLimit(trx, "ip", ipKey))) throw new RateLimitedError();
    const quiet = await overLimit(trx, "email", data.email);
    const components = await validComponents(trx, data.components);
    await trx
      .insertInto("subscribe_attempts")
      .values([...(ipKey ? [{ scope: "ip" as const, value: ipKey }] : []), { scope: "email" as const, value: data.email }])
      .execute();
    return quiet ? null : { email: data.email, components, ip };
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
        .values({ id: publicId(), email: request.email, consent_source: "form", consent_ip: request.ip })
        .returningAll()
        .executeTakeFirstOrThrow());
    if (existing) {
      await trx
        .updateTable("subscribers")
        .set({ status: "pending", consent_source: "form", consent_ip: request.ip, updated_at: new Date() })
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

async function findToken(db: Db | Tx, token: string, purpose: "confirm" | "manage") {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .selectFrom("subscriber_tokens")
    .innerJoin("subscribers", "subscribers.id", "subscriber_tokens.subscriber_id")
    .select([
      "subscriber_tokens.id as tokenId",
      "subscriber_tokens.expires_at",
      "subscriber_tokens.used_at",
      "subscriber_tokens.revoked_at",
      "subscribers.id",
      "subscribers.email",
      "subscribers.status",
      "subscribers.all_components",
    ])
    .where("subscriber_tokens.token_hash", "=", hashToken(token))
    .where("subscriber_tokens.purpose", "=", purpose)
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (row.expires_at && row.expires_at.getTime() < Date.now()) return null;
  return row;
}

/** What a confirm link leads to, without acting on it (GET shows a button). */
export async function confirmationFor(db: Db, token: string) {
  const row = await findToken(db, token, "confirm");
  if (!row || row.used_at) return null;
  return { email: maskEmail(row.email) };
}

/** Follows a confirm link: the subscription becomes active. Returns the manage token for the next page. */
export async function confirmSubscription(db: Db, token: string): Promise<{ manageToken: string }> {
  const secret = await tokenSecret(db);
  return db.transaction().execute(async (trx) => {
    const row = await findToken(trx, token, "confirm");
    if (!row || row.used_at) throw new NotFoundError("confirmation link");
    const now = new Date();
    await trx.updateTable("subscriber_tokens").set({ used_at: now }).where("id", "=", row.tokenId).execute();
    await trx
      .updateTable("subscribers")
      .set({ status: "active", confirmed_at: now, unsubscribed_at: null, updated_at: now })
      .where("id", "=", row.id)
      .execute();
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
  if (!row) return null;
  const chosen = await db.selectFrom("subscriber_components").select("component_id").where("subscriber_id", "=", row.id).execute();
  return {
    email: maskEmail(row.email),
    status: row.status,
    allComponents: row.all_components,
    components: chosen.map((c) => c.component_id),
  };
}

export const manageInput = z.object({ components: componentIds });

/** The link first: a bogus token is "not found" whatever else was posted. */
export async function updateSubscription(db: Db, token: string, input: unknown): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await findToken(trx, token, "manage");
    if (!row) throw new NotFoundError("subscription");
    const data = parseInput(manageInput, input);
    await setComponents(trx, row.id, await validComponents(trx, data.components));
  });
}

/** Stops all mail to a subscriber and drops what is still waiting to be sent. */
async function stopMail(trx: Tx, subscriberId: string, status: "unsubscribed" | "bounced" | "complained") {
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
    if (!row) throw new NotFoundError("subscription");
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

/** Invalidates every link a subscriber has; a new manage link is issued with the next email. */
export async function revokeLinks(db: Db, actor: Actor, subscriberId: string): Promise<void> {
  requireRole(actor, "editor");
  const secret = await tokenSecret(db);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("subscriber_tokens")
      .set({ revoked_at: new Date() })
      .where("subscriber_id", "=", subscriberId)
      .where("revoked_at", "is", null)
      .execute();
    await issueToken(trx, secret, subscriberId, "manage");
    await recordAudit(trx, actor, { action: "subscriber.revoke_links", subjectType: "subscriber", subjectId: subscriberId });
  });
}

/** Erases the subscriber and every trace of the address (deliveries, demo outbox). */
export async function deleteSubscriber(db: Db, actor: Actor, input: unknown): Promise<void> {
  requireRole(actor, "editor");
  const { id } = parseInput(z.object({ id: publicIdField("subscriber") }), input);
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom("subscribers").where("id", "=", id).returning(["id", "email"]).executeTakeFirst();
    if (!row) throw new NotFoundError("subscriber");
    await trx.deleteFrom("deliveries").where("subscriber_id", "=", row.id).execute();
    await trx.deleteFrom("outbox_emails").where("recipient", "=", row.email).execute();
    await trx.deleteFrom("subscribe_attempts").where("scope", "=", "email").where("value", "=", row.email).execute();
    await recordAudit(trx, actor, { action: "subscriber.delete", subjectType: "subscriber", subjectId: row.id });
  });
}

/** Active subscribers who would receive an update touching these components (none given: page-wide). */
export async function countRecipients(db: Db | Tx, componentIds: string[]): Promise<number> {
  let query = db.selectFrom("subscribers as s").select(sql<number>`count(*)::int`.as("n")).where("s.status", "=", "active");
  if (componentIds.length > 0) {
    query = query.where((eb) =>
      eb.or([
        eb("s.all_components", "=", true),
        eb.exists(
          eb
            .selectFrom("subscriber_components as sc")
            .select(sql`1`.as("one"))
            .whereRef("sc.subscriber_id", "=", "s.id")
            .where("sc.component_id", "in", componentIds),
        ),
      ]),
    );
  }
  const { n } = await query.executeTakeFirstOrThrow();
  return n;
}

export const listInput = z.object({
  q: z.string().trim().max(320).optional(),
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function listSubscribers(db: Db, input: unknown = {}) {
  const data = parseInput(listInput, input);
  let query = db.selectFrom("subscribers").selectAll();
  if (data.q) query = query.where("email", "like", `%${data.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (data.status) query = query.where("status", "=", data.status);
  return query.orderBy("created_at", "desc").orderBy("id").limit(data.limit).offset(data.offset).execute();
}

export async function subscriberCounts(db: Db): Promise<Record<SubscriberStatus, number>> {
  const rows = await db.selectFrom("subscribers").select(["status", sql<number>`count(*)::int`.as("n")]).groupBy("status").execute();
  const counts = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export async function exportSubscribersCsv(db: Db, actor: Actor): Promise<string> {
  requireRole(actor, "viewer");
  const rows = await db
    .selectFrom("subscribers as s")
    .select([
      "s.email",
      "s.status",
      "s.all_components",
      "s.created_at",
      "s.confirmed_at",
      "s.consent_source",
      sql<string>`coalesce((select string_agg(sc.component_id, ';' order by sc.component_id) from subscriber_components sc where sc.subscriber_id = s.id), '')`.as("components"),
    ])
    .orderBy("s.created_at")
    .execute();
  const lines = ["email,status,components,created_at,confirmed_at,consent_source"];
  for (const r of rows) {
    lines.push(
      [r.email, r.status, r.all_components ? "all" : r.components, r.created_at.toISOString(), r.confirmed_at?.toISOString() ?? "", r.consent_source]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

export interface ImportReport {
  imported: number;
  active: number;
  confirmationsSent: number;
  rejected: { line: number; email: string; reason: string }[];
}

/**
 * The largest CSV the import takes (about 25,000 subscribers). The server
 * actions' body limit in next.config.mjs (2 MB) leaves room for it and the
 * form around it, so a larger file gets this field's message rather than
 * Next's refusal of the whole request.
 */
export const CSV_IMPORT_MAX_BYTES = 1024 * 1024;

const csvInput = z.object({
  csv: z
    .string({ error: "must be CSV text" })
    .refine((csv) => Buffer.byteLength(csv) <= CSV_IMPORT_MAX_BYTES, "is larger than 1 MB: split the file"),
});

/*
 * CSV import: columns email, consented (yes/true/1), components (ids or
 * names separated by ";", empty or "all" for all). Every row is checked;
 * rejected rows are reported with their line. Rows marked as consented
 * become active; the others get the confirmation email.
 */
export async function importSubscribersCsv(db: Db, actor: Actor, input: unknown): Promise<ImportReport> {
  requireRole(actor, "editor");
  const { csv } = parseInput(csvInput, input);
  const rows = parseCsv(csv);
  const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const col = (name: string) => header.indexOf(name);
  if (col("email") < 0) throw new InputError([{ field: "csv", message: "needs a header row with an email column" }]);
  const secret = await tokenSecret(db);
  const report: ImportReport = { imported: 0, active: 0, confirmationsSent: 0, rejected: [] };
  await db.transaction().execute(async (trx) => {
    const components = await trx.selectFrom("components").select(["id", "name"]).where("archived_at", "is", null).execute();
    const byKey = new Map<string, string>();
    for (const c of components) {
      byKey.set(c.id, c.id);
      byKey.set(c.name.toLowerCase(), c.id);
    }
    const seen = new Set<string>();
    for (const [index, fields] of rows.slice(1).entries()) {
      const line = index + 2;
      const raw = (fields[col("email")] ?? "").trim();
      const parsed = email.safeParse(raw);
      if (!parsed.success) {
        report.rejected.push({ line, email: raw, reason: "not an email address" });
        continue;
      }
      const address = parsed.data;
      if (seen.has(address)) {
        report.rejected.push({ line, email: address, reason: "appears twice in the file" });
        continue;
      }
      seen.add(address);
      const consented = col("consented") >= 0 && /^(yes|true|1|y)$/i.test((fields[col("consented")] ?? "").trim());
      const list = col("components") >= 0 ? (fields[col("components")] ?? "").trim() : "";
      const wanted = list === "" || list.toLowerCase() === "all" ? [] : list.split(";").map((s) => s.trim()).filter(Boolean);
      const ids = wanted.map((w) => byKey.get(w) ?? byKey.get(w.toLowerCase()));
      const unknown = wanted.filter((_, i) => !ids[i]);
      if (unknown.length > 0) {
        report.rejected.push({ line, email: address, reason: `unknown component: ${unknown.join(", ")}` });
        continue;
      }
      const existing = await trx.selectFrom("subscribers").select("id").where("email", "=", address).executeTakeFirst();
      if (existing) {
        report.rejected.push({ line, email: address, reason: "already subscribed" });
        continue;
      }
      const subscriber = await trx
        .insertInto("subscribers")
        .values({
          id: publicId(),
          email: address,
          consent_source: "import",
          status: consented ? "active" : "pending",
          confirmed_at: consented ? new Date() : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await setComponents(trx, subscriber.id, [...new Set(ids as string[])]);
      if (consented) {
        await issueToken(trx, secret, subscriber.id, "manage");
        report.active++;
      } else {
        await sendConfirmation(trx, secret, subscriber.id);
        report.confirmationsSent++;
      }
      report.imported++;
    }
    await recordAudit(trx, actor, {
      action: "subscriber.import",
      subjectType: "subscriber",
      after: { imported: report.imported, active: report.active, rejected: report.rejected.length },
    });
  });
  return report;
}

/*
 * Bulk creation of already-consented subscribers for tests and benchmarks
 * (10,000+ rows): set-based, one manage token each.
 */
export async function seedActiveSubscribers(
  db: Db,
  list: { email: string; status?: SubscriberStatus; components?: string[] }[],
): Promise<string[]> {
  const secret = await tokenSecret(db);
  const ids: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000).map((s) => ({ ...s, id: publicId() }));
      await trx
        .insertInto("subscribers")
        .values(
          chunk.map((s) => ({
            id: s.id,
            email: s.email.toLowerCase(),
            status: s.status ?? "active",
            all_components: !s.components || s.components.length === 0,
            consent_source: "admin" as const,
            confirmed_at: new Date(),
          })),
        )
        .execute();
      const links = chunk.flatMap((s) => (s.components ?? []).map((component_id) => ({ subscriber_id: s.id, component_id })));
      if (links.length > 0) await trx.insertInto("subscriber_components").values(links).execute();
      const tokens = chunk.map((s) => {
        const id = randomBytes(16).toString("base64url");
        return { id, subscriber_id: s.id, purpose: "manage" as const, token_hash: hashToken(linkToken(secret, id)) };
      });
      await trx.insertInto("subscriber_tokens").values(tokens).execute();
      ids.push(...chunk.map((s) => s.id));
    }
  });
  return ids;
}

/** Pending subscribers whose confirmation can no longer happen: no live confirm link, untouched for CONFIRM_DAYS. */
function expiredPending(db: Db | Tx, now: Date) {
  return db
    .selectFrom("subscribers as s")
    .select("s.id")
    .where("s.status", "=", "pending")
    .where("s.updated_at", "<", new Date(now.getTime() - CONFIRM_DAYS * 86_400_000))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("subscriber_tokens as t")
            .select(sql`1`.as("one"))
            .whereRef("t.subscriber_id", "=", "s.id")
            .where("t.purpose", "=", "confirm")
            .where("t.used_at", "is", null)
            .where("t.revoked_at", "is", null)
            .where("t.expires_at", ">", now),
        ),
      ),
    );
}

/*
 * Retention, run by the scheduler: subscribe attempts older than the longest
 * throttle window (they no longer count), and pending subscribers whose
 * confirmation expired — erased like deleteSubscriber does (their links and
 * choices cascade; deliveries carry no foreign key, so they go explicitly).
 */
export async function pruneSubscriberRecords(db: Db, now: Date = new Date()): Promise<{ attempts: number; pending: number }> {
  return db.transaction().execute(async (trx) => {
    const attempts = await trx
      .deleteFrom("subscribe_attempts")
      .where("at", "<", new Date(now.getTime() - ATTEMPTS_KEPT_MINUTES * 60_000))
      .executeTakeFirst();
    await trx.deleteFrom("deliveries").where("subscriber_id", "in", expiredPending(trx, now)).execute();
    // The local outbox's copies of their confirmation emails hold the address and its links.
    await trx.deleteFrom("outbox_emails").where("recipient", "in", expiredPending(trx, now).clearSelect().select("s.email")).execute();
    const pending = await trx.deleteFrom("subscribers").where("id", "in", expiredPending(trx, now)).executeTakeFirst();
    return { attempts: Number(attempts.numDeletedRows), pending: Number(pending.numDeletedRows) };
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

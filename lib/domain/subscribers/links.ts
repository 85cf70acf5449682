import { createHmac, randomBytes } from "node:crypto";
import type { Db, Tx } from "#db/client.ts";
import type { Channel } from "#db/schema.ts";
import { hashSecret } from "#lib/core/secrets.ts";

/*
 * Subscribers' links (confirm, manage, unsubscribe), made so they can't be
 * abused. A link token is `<row id>.<HMAC(secret, row id)>`: unguessable,
 * stored only as its SHA-256, revocable per row, and re-derivable by the
 * sender so a retried email is byte-identical (idempotency compares bodies).
 */
export const CONFIRM_DAYS = 7;

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

export async function issueToken(trx: Tx, secret: string, subscriberId: string, purpose: "confirm" | "manage") {
  const id = randomBytes(16).toString("base64url");
  await trx
    .insertInto("subscriber_tokens")
    .values({
      id,
      subscriber_id: subscriberId,
      purpose,
      token_hash: hashSecret(linkToken(secret, id)),
      expires_at: purpose === "confirm" ? new Date(Date.now() + CONFIRM_DAYS * 86_400_000) : null,
    })
    .execute();
  return id;
}

/** A link's live token row and its subscriber; null when the link is malformed, unknown, revoked or expired. */
export async function findToken(db: Db | Tx, token: string, purpose: "confirm" | "manage") {
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
      "subscribers.channel",
      "subscribers.status",
      "subscribers.all_components",
      "subscribers.locale",
    ])
    .where("subscriber_tokens.token_hash", "=", hashSecret(token))
    .where("subscriber_tokens.purpose", "=", purpose)
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  if (row.expires_at && row.expires_at.getTime() < Date.now()) return null;
  return row;
}

/** The confirmation (an email, or a channel's verification request) goes through the same outbox as every other message. */
export async function sendConfirmation(trx: Tx, secret: string, subscriberId: string, channel: Channel = "email") {
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
    .values({ subscriber_id: subscriberId, kind: "confirmation", token_id: tokenId, channel })
    .execute();
}

export async function ensureManageToken(trx: Tx, secret: string, subscriberId: string) {
  const existing = await trx
    .selectFrom("subscriber_tokens")
    .select("id")
    .where("subscriber_id", "=", subscriberId)
    .where("purpose", "=", "manage")
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return existing?.id ?? issueToken(trx, secret, subscriberId, "manage");
}

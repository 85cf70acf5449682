import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { ApiKeyScope } from "#db/schema.ts";
import type { Actor, Role } from "./actors.ts";
import { AppError, notFound } from "#lib/core/errors.ts";
import { publicIdField, text } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { hashSecret } from "#lib/core/secrets.ts";
import { write } from "./write.ts";

/*
 * API keys for the management API. Owners create them; the token is shown
 * once and only its SHA-256 is stored. A memory-hard hash (argon2, scrypt)
 * protects guessable passwords; a token carries 256 random bits, so nobody
 * can brute-force it from its hash and a fast hash is enough — and it lets a
 * request find its key with one indexed lookup.
 */

export const API_KEY_SCOPES = ["read", "write", "owner"] as const satisfies readonly ApiKeyScope[];

/**
 * A read key acts as a viewer, a write key as an editor, an owner key as an
 * owner: for tools that manage the page's settings, as Statuspage's
 * full-access keys do. Users and keys themselves are never managed by a key.
 */
export const scopeRole: Record<ApiKeyScope, Role> = { read: "viewer", write: "editor", owner: "owner" };

const TOKEN_PREFIX = "candor_";
// Shown in the key list so an owner can tell keys apart without the secret.
const VISIBLE_CHARS = TOKEN_PREFIX.length + 6;
const LAST_USED_RESOLUTION_MS = 60_000;

export const createApiKeyInput = z.object({
  name: text({ max: 100 }),
  scope: z.enum(API_KEY_SCOPES, { error: "must be read, write or owner" }),
});

export const revokeApiKeyInput = z.object({ id: publicIdField("API key") });

export async function createApiKey(db: Db, actor: Actor, input: unknown) {
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return write(db, actor, input, {
    role: "owner",
    schema: createApiKeyInput,
    // API keys never appear on public pages, so there is no public cache to invalidate.
    public: false,
    async change(trx, data) {
      const key = await trx
        .insertInto("api_keys")
        .values({
          id: publicId(),
          name: data.name,
          scope: data.scope,
          token_prefix: token.slice(0, VISIBLE_CHARS),
          token_hash: hashSecret(token),
          created_by: actor.name,
        })
        .returning(["id", "name", "scope", "token_prefix", "created_by", "created_at", "last_used_at", "revoked_at"])
        .executeTakeFirstOrThrow();
      return { result: { key, token }, audit: { action: "api_key.create", subjectType: "api_key", subjectId: key.id, after: key } };
    },
  });
}

export async function revokeApiKey(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "owner",
    schema: revokeApiKeyInput,
    public: false,
    async change(trx, data) {
      const before = await trx
        .selectFrom("api_keys")
        .select(["id", "name", "revoked_at"])
        .where("id", "=", data.id)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw notFound("API key");
      if (before.revoked_at) return { result: before, audit: null };
      const after = await trx
        .updateTable("api_keys")
        .set({ revoked_at: new Date(), revoked_by: actor.name })
        .where("id", "=", data.id)
        .returning(["id", "name", "revoked_at"])
        .executeTakeFirstOrThrow();
      return {
        result: after,
        audit: { action: "api_key.revoke", subjectType: "api_key", subjectId: data.id, before: { revoked_at: null }, after: { revoked_at: after.revoked_at } },
      };
    },
  });
}

/** Every key, newest first, without its hash. */
export async function listApiKeys(db: Db) {
  return db
    .selectFrom("api_keys")
    .select(["id", "name", "scope", "token_prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by"])
    .orderBy("revoked_at", (ob) => ob.desc().nullsFirst())
    .orderBy("created_at", "desc")
    .execute();
}

export type ApiKeySummary = Awaited<ReturnType<typeof listApiKeys>>[number];

/*
 * The caller an API key stands for, from a request at `ip`. The audit log
 * then names the key and records source "api_key".
 */
export async function actorForApiKey(db: Db, token: string, ip: string | null): Promise<Actor> {
  if (!token.startsWith(TOKEN_PREFIX)) throw new AppError("unauthorized", "invalid API key");
  // Looked up by hash: the secret itself is never compared, so timing reveals nothing about it.
  const key = await db
    .selectFrom("api_keys")
    .select(["id", "name", "scope", "last_used_at", "revoked_at"])
    .where("token_hash", "=", hashSecret(token))
    .executeTakeFirst();
  if (!key) throw new AppError("unauthorized", "invalid API key");
  if (key.revoked_at) throw new AppError("unauthorized", "this API key has been revoked");
  await touchLastUsed(db, key.id, key.last_used_at);
  return { id: key.id, name: key.name, source: "api_key", role: scopeRole[key.scope], ip };
}

/*
 * At most one write per key per minute: a busy integration must not turn
 * every read into a row update. The WHERE repeats the check so concurrent
 * requests from other instances don't all write either.
 */
async function touchLastUsed(db: Db, id: string, lastUsedAt: Date | null): Promise<void> {
  const now = new Date();
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  await db
    .updateTable("api_keys")
    .set({ last_used_at: now })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", staleBefore)]))
    .execute();
}

import { createHash } from "node:crypto";
import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import { AppError, invalidInput } from "#lib/core/errors.ts";

/*
 * The `Idempotency-Key` header on creates (IETF draft
 * httpapi-idempotency-key-header, as Stripe does it): the first request
 * with a key is executed and its response stored for 24 hours; a retry with
 * the same key and the same request gets the stored response without a
 * second write; the same key with a different request is refused (422).
 * Keys are scoped to the API key that sent them.
 *
 * Why it is crash-safe: the record is inserted in the SAME transaction as
 * the domain write it describes. Both commit or neither does, so there is no
 * window where the incident exists but its record doesn't (a retry would
 * then create a second incident) or the record exists without the incident
 * (a retry would be told "done" for a write that never happened). Two
 * concurrent requests with one key both run the write; the second one's
 * insert meets the first's primary key (on PostgreSQL it waits for the
 * first to commit), finds nothing inserted, and rolls its whole
 * transaction back, then answers with the stored response. A failed write
 * (validation, 404) stores nothing, so the client may fix and retry.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const idempotencyKeySchema = z
  .string()
  .min(1, "must not be empty")
  .max(255, "is at most 255 characters")
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export interface IdempotentRequest {
  apiKeyId: string;
  key: string;
  /** Hash of method, path and the canonical JSON body. */
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/** Thrown inside the write's transaction to roll it back when another request stored the key first. */
class LostRace extends Error {}

/** Key order and whitespace don't make two requests different. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** The stored response for this key, or null when the key is new (or expired). */
export async function findStoredResponse(db: Db | Tx, request: IdempotentRequest): Promise<StoredResponse | null> {
  const row = await db
    .selectFrom("idempotency_keys")
    .select(["request_hash", "status", "response"])
    .where("api_key_id", "=", request.apiKeyId)
    .where("key", "=", request.key)
    .where("created_at", ">", new Date(Date.now() - IDEMPOTENCY_TTL_MS))
    .executeTakeFirst();
  if (!row) return null;
  // The same key reused for a different request.
  if (row.request_hash !== request.requestHash) {
    throw invalidInput([{ field: "Idempotency-Key", message: "was already used for a different request" }]);
  }
  return { status: row.status, body: row.response };
}

/**
 * Runs a domain write so that its response is built, and (with a key)
 * stored, inside the write's own transaction.
 *
 * The domain functions take a `Db` and open their own transaction; rather
 * than give each of them an extra parameter, `write` receives a `Db` whose
 * `transaction().execute(fn)` runs `fn` and then `respond` in the same
 * transaction. Only the first transaction is wrapped: a write is one
 * transaction by design.
 */
export async function idempotentWrite<T>(
  db: Db,
  request: IdempotentRequest | null,
  write: (db: Db) => Promise<T>,
  respond: (reader: Db | Tx, result: T) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  if (request) {
    const stored = await findStoredResponse(db, request);
    if (stored) return { ...stored, replayed: true };
  }
  let response: StoredResponse | null = null;
  const recording = withinTransaction(db, async (trx, result) => {
    if (response) return;
    response = await respond(trx, result as T);
    if (request) await store(trx, request, response);
  });
  try {
    const result = await write(recording);
    return { ...(response ?? (await respond(db, result))), replayed: false };
  } catch (error) {
    if (!(error instanceof LostRace) || !request) throw error;
    const stored = await findStoredResponse(db, request);
    if (!stored) throw new AppError("conflict", "a request with this Idempotency-Key is still in progress; retry later");
    return { ...stored, replayed: true };
  }
}

async function store(trx: Tx, request: IdempotentRequest, response: StoredResponse): Promise<void> {
  // Expired records go first (index on created_at), so an expired key can be used again.
  await trx
    .deleteFrom("idempotency_keys")
    .where("created_at", "<=", new Date(Date.now() - IDEMPOTENCY_TTL_MS))
    .execute();
  const inserted = await trx
    .insertInto("idempotency_keys")
    .values({
      api_key_id: request.apiKeyId,
      key: request.key,
      request_hash: request.requestHash,
      status: response.status,
      response: JSON.stringify(response.body),
    })
    .onConflict((oc) => oc.columns(["api_key_id", "key"]).doNothing())
    .returning("key")
    .executeTakeFirst();
  if (!inserted) throw new LostRace();
}

function withinTransaction(db: Db, after: (trx: Tx, result: unknown) => Promise<void>): Db {
  // Kysely keeps its state in private fields, which a Proxy can't reach: bind to the real objects.
  const bound = <O extends object>(target: O, prop: string | symbol) => {
    const value = Reflect.get(target, prop, target);
    return typeof value === "function" ? value.bind(target) : value;
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop !== "transaction") return bound(target, prop);
      return () => {
        const builder = target.transaction();
        return new Proxy(builder, {
          get(b, p) {
            if (p !== "execute") return bound(b, p);
            return <R>(fn: (trx: Tx) => Promise<R>) =>
              b.execute(async (trx) => {
                const result = await fn(trx);
                await after(trx, result);
                return result;
              });
          },
        });
      };
    },
  });
}

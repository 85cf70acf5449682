import { database, type Db } from "#db/client.ts";
import { can, type Actor } from "#lib/domain/actors.ts";
import { actorForApiKey } from "#lib/domain/api-keys.ts";
import { AppError, invalidInput, issuesOf } from "#lib/core/errors.ts";
import { clientIp } from "#lib/http/client-ip.ts";
import { errorResponse } from "#lib/http/error-responses.ts";
import { idempotencyKeySchema, idempotentWrite, requestHash, type IdempotentRequest } from "#lib/http/idempotency.ts";
import { noStoreJson } from "#lib/http/responses.ts";
import { API_BASE, operations, type OperationId } from "./operations.ts";
import { noQuery } from "./schemas.ts";

/*
 * Serves the operation table over HTTP: the API key authenticates, its
 * scope gives the role, creates are idempotent by header, and every failure
 * answers through the one error mapping.
 */

/** The caller, from `Authorization: Bearer <key>`. */
function actorFromRequest(db: Db, request: Request): Promise<Actor> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw new AppError("unauthorized", "an API key is required: send Authorization: Bearer <key>");
  return actorForApiKey(db, match[1], clientIp(request.headers));
}

// Far above any valid body (an update's text is at most 20,000 characters), far below trouble.
const MAX_BODY_BYTES = 1_000_000;
// Valid bodies nest three levels (components[0].id); deep nesting only exists to break recursive code.
const MAX_BODY_DEPTH = 16;

async function readJson(request: Request): Promise<unknown> {
  const tooLarge = new AppError("payload_too_large", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  // Read with a cap: a chunked body has no Content-Length to check first.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge;
    chunks.push(chunk);
  }
  let text: string;
  try {
    // Bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "the request body is not valid UTF-8");
  }
  if (!text.trim()) throw new AppError("bad_request", "the request body must be a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "the request body is not valid JSON");
  }
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) throw new AppError("bad_request", `the request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  return body;
}

function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (levels === 0) return true;
  return Object.values(value).some((inner) => nestedDeeperThan(inner, levels - 1));
}

function idempotencyOf(request: Request, actor: Actor, path: string, body: unknown): IdempotentRequest | null {
  const header = request.headers.get("idempotency-key");
  if (header === null) return null;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw new AppError("bad_request", "invalid Idempotency-Key header", { issues: issuesOf(key.error, "Idempotency-Key") });
  return { apiKeyId: actor.id, key: key.data, requestHash: requestHash(request.method, path, body) };
}

/**
 * Runs one operation for a route handler: authenticate the key, check its
 * role, parse query and body with zod, then read or write. Every answer is
 * JSON with `Cache-Control: no-store`.
 */
export async function handle(operationId: OperationId, request: Request, params: { id?: string } = {}): Promise<Response> {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`unknown operation ${operationId}`);
  // Reading the request first, outside the try, lets `next build` stop prerendering here, before any database is opened.
  const url = new URL(request.url);
  try {
    const { db } = await database();
    const actor = await actorFromRequest(db, request);
    if (!can(actor, op.role)) throw new AppError("forbidden", "this needs a key with the write scope");
    const query = (op.query ?? noQuery).safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw new AppError("bad_request", "invalid query parameters", { issues: issuesOf(query.error) });
    const ctx = { db, actor, params: { id: params.id ?? "" }, query: query.data, body: undefined as unknown };
    if (op.method === "GET") return noStoreJson(200, await op.run(ctx));

    // An action on a resource (DELETE, re-enable, test) takes no body.
    const raw = op.body ? await readJson(request) : undefined;
    const body = op.body ? op.body.schema.safeParse(raw) : ({ success: true, data: undefined } as const);
    if (!body.success) throw invalidInput(issuesOf(body.error));
    const idempotency = op.idempotent ? idempotencyOf(request, actor, url.pathname, raw) : null;
    const result = await idempotentWrite(
      db,
      idempotency,
      (writer) => op.run({ ...ctx, db: writer, body: body.data }),
      async (reader, written) => ({
        status: op.response.status,
        body: op.present ? await op.present(reader, written) : written,
      }),
    );
    const headers: Record<string, string> = {};
    if (op.location) headers.Location = new URL(API_BASE + op.location(result.body), url).href;
    if (idempotency) headers["Idempotent-Replayed"] = String(result.replayed);
    if (result.status === 204) return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
    return noStoreJson(result.status, result.body, headers);
  } catch (error) {
    return errorResponse(error);
  }
}

import { database, type Db } from "#db/client.ts";
import { can, type Actor } from "#lib/domain/actors.ts";
import { actorForApiKey } from "#lib/domain/api-keys.ts";
import { AppError, invalidInput, issuesOf } from "#lib/core/errors.ts";
import { clientIp } from "#lib/http/client-ip.ts";
import { errorResponse } from "#lib/http/error-responses.ts";
import { idempotencyKeySchema, idempotentWrite, requestHash, type IdempotentRequest } from "#lib/http/idempotency.ts";
import { noStoreJson } from "#lib/http/responses.ts";
import { parseJsonText, readBodyText } from "#lib/http/request-body.ts";
import { API_BASE } from "./operation.ts";
import { operations, type OperationId } from "./operations.ts";
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
    const raw = op.body ? parseJsonText(await readBodyText(request)) : undefined;
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

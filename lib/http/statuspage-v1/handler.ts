import { database } from "#db/client.ts";
import { AppError } from "#lib/core/errors.ts";
import { can } from "#lib/domain/actors.ts";
import { actorForApiKey } from "#lib/domain/api-keys.ts";
import { clientIp } from "#lib/http/client-ip.ts";
import { errorResponse, statuspageErrorBody } from "#lib/http/error-responses.ts";
import { noStoreJson } from "#lib/http/responses.ts";
import { readStatuspageBody } from "./bodies.ts";
import { consumeRate } from "./rate-limit.ts";
import { readStatuspageV1 } from "./reads.ts";
import { writeStatuspageV1, type Answer, type WriteMethod } from "./writes.ts";

const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

/*
 * Serves Statuspage's v1 API under /api/statuspage/v1 with Candor's API
 * keys: the key authenticates as in the management API, and failures
 * answer through the one error mapping in Statuspage's body shape.
 */

export const STATUSPAGE_V1_BASE = "/api/statuspage/v1";

/** The key from `Authorization: OAuth <key>` (Statuspage's form), `Bearer <key>`, or `?api_key=<key>`. */
function apiKeyOf(request: Request, url: URL): string {
  const header = /^(?:OAuth|Bearer)\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  const key = header?.[1] ?? url.searchParams.get("api_key");
  if (!key) throw new AppError("unauthorized", "an API key is required: send Authorization: OAuth <key>");
  return key;
}

/**
 * Answers a request for `path`, the segments after the base (a trailing
 * `.json` is accepted): the key authenticates and is counted against its
 * rate, a read needs the read scope, a write the write scope.
 */
export async function handleStatuspageV1(request: Request, path: string[]): Promise<Response> {
  // Reading the request first, outside the try, lets `next build` stop prerendering here, before any database is opened.
  const url = new URL(request.url);
  const method = request.method.toUpperCase();
  try {
    const { db } = await database();
    const actor = await actorForApiKey(db, apiKeyOf(request, url), clientIp(request.headers));
    await consumeRate(db, actor.id);
    const segments = path.filter(Boolean);
    const last = segments.length - 1;
    if (last >= 0) segments[last] = segments[last].replace(/\.json$/, "");
    const [root, pageId, ...rest] = segments;
    const endpoint = root === "pages" && pageId !== undefined;
    let answer: Answer | null = null;
    if (method === "GET") {
      if (!can(actor, "viewer")) throw new AppError("forbidden", "this key cannot read");
      const body = endpoint ? await readStatuspageV1(db, pageId, rest, url.searchParams) : null;
      answer = body === null ? null : { status: 200, body };
    } else if (WRITE_METHODS.has(method)) {
      if (!can(actor, "editor")) throw new AppError("forbidden", "this key has the read scope: writing needs a key with the write scope");
      const body = endpoint ? await readStatuspageBody(request) : null;
      answer = endpoint ? await writeStatuspageV1(db, actor, method as WriteMethod, pageId, rest, body) : null;
    }
    if (answer === null) throw new AppError("not_found", `no such endpoint: ${method} ${STATUSPAGE_V1_BASE}/${path.join("/")}`);
    return answer.body === null ? new Response(null, { status: answer.status, headers: { "Cache-Control": "no-store" } }) : noStoreJson(answer.status, answer.body);
  } catch (error) {
    return errorResponse(error, statuspageErrorBody);
  }
}

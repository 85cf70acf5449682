import { createHash } from "node:crypto";

/*
 * HTTP for the machine endpoints (API, feeds, calendar, badges): revalidated
 * with ETags, readable cross-origin (Statuspage's own widget and many
 * dashboards fetch from the browser). Cache-Control comes from next.config's
 * headers() for every public path (it overrides a route handler's own), so a
 * CDN caches these like the pages.
 */

export function etagOf(body: string | Uint8Array): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

/** Whether an If-None-Match header names this entity (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}

/**
 * A 200 (or 304 when the client already has it) for GET and HEAD.
 * Extra headers are added verbatim.
 */
export function machineResponse(
  request: Request,
  body: string | Uint8Array,
  contentType: string,
  extraHeaders: Record<string, string> = {},
): Response {
  const etag = etagOf(body);
  const headers = new Headers({
    "Content-Type": contentType,
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
    ETag: etag,
    Vary: "Accept-Encoding",
    ...extraHeaders,
  });
  if (matchesEtag(request.headers.get("if-none-match"), etag)) {
    return new Response(null, { status: 304, headers });
  }
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  headers.set("Content-Length", String(bytes.byteLength));
  return new Response(request.method === "HEAD" ? null : (bytes as BodyInit), { status: 200, headers });
}

/** A JSON 404 for machine paths (Statuspage-compatible hosts answer 404 for unknown paths). */
export function machineNotFound(request: Request, message = "Not found"): Response {
  const body = JSON.stringify({ error: "not_found", message });
  return new Response(request.method === "HEAD" ? null : body, {
    status: 404,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
    },
  });
}

/** JSON that no cache keeps: the management API's answers. */
export function noStoreJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

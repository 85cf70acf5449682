import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { forwardedHttps } from "#lib/http/client-ip.ts";
import { etagOf, matchesEtag } from "#lib/http/responses.ts";
import type { OriginResponse } from "./origin.ts";

/*
 * A copy: Next's answer for a key, kept with its gzip form and one ETag per
 * coding, and written to each reader with what describes that one answer.
 * Each answer says how it was made (x-candor-microcache): `hit` from a copy
 * already there, `miss` after waiting for Next, `stale` the copy there was
 * because Next failed or was slow. Copies are fetched over plain http, so
 * they carry HSTS only if Next gives it to everyone (PUBLIC_URL https at
 * build time); a reader a trusted proxy says came over https gets it added.
 */
const ANSWERED = "x-candor-microcache";
export type Answered = "hit" | "miss" | "stale";
/** next.config.mjs's Strict-Transport-Security (test/integration/security-headers.test.ts holds them equal). */
const HSTS = "max-age=31536000";
// Describe the hop or this one response, not the entity.
const NOT_COPIED = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "date", "etag"]);

type HeaderMap = Record<string, string | string[]>;

export interface Copy {
  status: number;
  body: Buffer;
  gzip: Buffer;
  identityHeaders: HeaderMap;
  gzipHeaders: HeaderMap;
  /** One ETag per content coding: they are different representations (RFC 9110 §8.8.3). */
  etags: { identity: string; gzip: string };
  changeCount: number;
  fetchedAt: number;
}

function copiedHeaders(answer: OriginResponse): HeaderMap {
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !NOT_COPIED.has(name)) headers[name] = value;
  }
  return headers;
}

export function copyOf(answer: OriginResponse, previous: Copy | null, changeCount: number, fetchedAt: number): Copy {
  const etag = etagOf(answer.body);
  const etags = { identity: etag, gzip: `${etag.slice(0, -1)}-gz"` };
  // Most refreshes return the same bytes: reuse the compressed copy.
  const gzip = previous?.etags.identity === etag ? previous.gzip : gzipSync(answer.body);
  const headers = copiedHeaders(answer);
  const vary = String(headers.vary ?? "");
  if (!/accept-encoding/i.test(vary)) headers.vary = vary ? `${vary}, Accept-Encoding` : "Accept-Encoding";
  return {
    status: answer.status,
    body: answer.body,
    gzip,
    identityHeaders: { ...headers, etag: etags.identity, "content-length": String(answer.body.length) },
    gzipHeaders: { ...headers, etag: etags.gzip, "content-encoding": "gzip", "content-length": String(gzip.length) },
    etags,
    changeCount,
    fetchedAt,
  };
}

export function writeCopy(copy: Copy, answered: Answered, request: IncomingMessage, response: ServerResponse): void {
  const gzip = acceptsGzip(request.headers["accept-encoding"]);
  const headers = perRequest(gzip ? copy.gzipHeaders : copy.identityHeaders, answered, request);
  if (copy.status === 200 && matchesEtag(request.headers["if-none-match"] ?? null, gzip ? copy.etags.gzip : copy.etags.identity)) {
    const { "content-length": _length, "content-encoding": _coding, ...notModified } = headers;
    response.writeHead(304, notModified);
    response.end();
    return;
  }
  response.writeHead(copy.status, headers);
  response.end(request.method === "HEAD" ? undefined : gzip ? copy.gzip : copy.body);
}

/** Next's own answer, passed on without keeping it. */
export function writeAnswer(answer: OriginResponse, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(answer.status, { ...perRequest(copiedHeaders(answer), "miss", request), "content-length": String(answer.body.length) });
  response.end(request.method === "HEAD" ? undefined : answer.body);
}

/** A copy's headers for one request: how it was answered, and HSTS for a reader over https. */
function perRequest(headers: HeaderMap, answered: Answered, request: IncomingMessage): HeaderMap {
  const own: HeaderMap = { ...headers, [ANSWERED]: answered };
  // Only a trusted proxy's X-Forwarded-Proto survives server.ts.
  if (forwardedHttps(request.headers["x-forwarded-proto"])) own["strict-transport-security"] ??= HSTS;
  return own;
}

/** Whether the client takes gzip: named with q > 0, or not named and `*` with q > 0. */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [coding, ...params] = part.trim().split(";");
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(coding.trim(), weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  return (q.get("gzip") ?? q.get("*") ?? 0) > 0;
}

import { AppError } from "#lib/core/errors.ts";

/*
 * Reading a request body safely, for every API that takes one: a size cap
 * (checked on Content-Length and again while reading, for chunked bodies),
 * strict UTF-8, and JSON with a nesting bound.
 */

// Far above any valid body (an update's text is at most 20,000 characters), far below trouble.
export const MAX_BODY_BYTES = 1_000_000;
// Valid bodies nest a few levels (incident.metadata.jira.id); deep nesting only exists to break recursive code.
export const MAX_BODY_DEPTH = 16;

/** The body as text: at most MAX_BODY_BYTES of valid UTF-8. */
export async function readBodyText(request: Request): Promise<string> {
  const tooLarge = new AppError("payload_too_large", `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge;
    chunks.push(chunk);
  }
  try {
    // Bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new AppError("bad_request", "the request body is not valid UTF-8");
  }
}

/** A JSON document from `text`, refused when malformed or nested deeper than MAX_BODY_DEPTH. */
export function parseJsonText(text: string): unknown {
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

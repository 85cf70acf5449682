import { randomBytes, timingSafeEqual } from "node:crypto";

/*
 * Requests a server process makes to itself. Work on a timer (the
 * maintenance clock) runs outside any request, where Next refuses
 * revalidateTag: its writes would reach the public pages only when their
 * cache period ends. Posted to the process's own route handler instead, the
 * same work refreshes them at once. server.ts opens this channel once it is
 * listening: its own URL and a secret that lives only in this process.
 */
const HEADER = "x-candor-internal";
// On globalThis: server.ts and Next's bundle each load their own copy of this module.
const PRODUCTION_SERVER = Symbol.for("candor.production-server");

/** server.ts, before Next starts: this process is the production server, which opens the channel once listening. */
export function declareProductionServer(): void {
  (globalThis as { [PRODUCTION_SERVER]?: boolean })[PRODUCTION_SERVER] = true;
}

/** Whether server.ts runs this process (not `next start`, `next dev` or a script). */
export function isProductionServer(): boolean {
  return (globalThis as { [PRODUCTION_SERVER]?: boolean })[PRODUCTION_SERVER] === true;
}

/** Whether the channel will open but has not yet: the server is still starting. */
export function internalRequestsPending(): boolean {
  return isProductionServer() && !process.env.CANDOR_INTERNAL_URL;
}

export function openInternalRequests(url: string): void {
  process.env.CANDOR_INTERNAL_URL = url;
  process.env.CANDOR_INTERNAL_SECRET = randomBytes(32).toString("base64url");
}

/**
 * Posts to one of this process's /api/internal routes. False when the
 * channel is not open (`next dev`, scripts, tests, the server still
 * starting) or the server cannot be reached: the caller then does the work
 * directly.
 */
export async function postInternal(path: `/api/internal/${string}`): Promise<boolean> {
  const url = process.env.CANDOR_INTERNAL_URL;
  const secret = process.env.CANDOR_INTERNAL_SECRET;
  if (!url || !secret) return false;
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, { method: "POST", headers: { [HEADER]: secret }, signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    // A timeout means it may still be running there: only an unreachable server hands the work back.
    if ((error as Error).name === "TimeoutError") throw error;
    console.error(`[internal] ${path} unreachable, running it directly: ${(error as Error).message}`);
    return false;
  }
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return true;
}

/** The handler of an /api/internal route: runs `work` for this process's own requests, 404 for anyone else. */
export function internalRoute(work: () => unknown): (request: Request) => Promise<Response> {
  const headers = { "cache-control": "no-store" };
  return async (request) => {
    if (!isInternalRequest(request)) return new Response("Not found", { status: 404, headers });
    await work();
    return new Response(null, { status: 204, headers });
  };
}

/** Whether a request carries this process's secret. */
function isInternalRequest(request: Request): boolean {
  return matchesSecret(request.headers.get(HEADER), process.env.CANDOR_INTERNAL_SECRET);
}

/**
 * Whether a header carries a per-process secret (this channel's, the
 * microcache's refresh header): compared in constant time, so the answer's
 * timing tells nothing about how much of a guess was right.
 */
export function matchesSecret(given: string | string[] | null | undefined, secret: string | undefined): boolean {
  if (!secret || typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

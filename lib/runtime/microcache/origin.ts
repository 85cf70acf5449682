import { randomBytes } from "node:crypto";
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { matchesSecret } from "#lib/runtime/internal-requests.ts";
import { ROUTER_REQUEST_HEADERS } from "#lib/runtime/next-internals.ts";

/*
 * Where copies come from: Next itself, asked over a loopback connection to
 * this server, with a header saying the request is the microcache's own so
 * it is not answered from the copy it refreshes.
 */

export interface OriginResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Fetches a path from Next (loopbackOrigin: a loopback request carrying MICROCACHE_BYPASS). */
export type Origin = (path: string) => Promise<OriginResponse>;

/**
 * Marks the server's own request to Next. It carries a secret of this
 * process (refreshHeaders): anyone else sending it is answered from the
 * copies like everyone.
 */
const MICROCACHE_BYPASS = "x-candor-microcache-refresh";
const REFRESH_SECRET = randomBytes(32).toString("base64url");
const TIMEOUT_MS = 30_000;

/** The headers of the server's own request to Next for a copy. */
export function refreshHeaders(): Record<string, string> {
  return { [MICROCACHE_BYPASS]: REFRESH_SECRET };
}

export function isRefresh(request: IncomingMessage): boolean {
  return matchesSecret(request.headers[MICROCACHE_BYPASS], REFRESH_SECRET);
}

/** Requests Next answers itself: the server's own, client navigation (RSC) and server actions. */
export function forNext(request: IncomingMessage): boolean {
  return isRefresh(request) || ROUTER_REQUEST_HEADERS.some((name) => request.headers[name] !== undefined);
}

/** Next, asked through this server's own address (`self`, known once it listens). */
export function loopbackOrigin(self: () => { host: string; port: number }): Origin {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  return (path) =>
    new Promise((resolve, reject) => {
      const outgoing = request({ ...self(), path, agent, headers: refreshHeaders(), timeout: TIMEOUT_MS }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on("error", reject);
      });
      outgoing.on("timeout", () => outgoing.destroy(new Error(`Next did not answer ${path} within 30 s`)));
      outgoing.on("error", reject);
      outgoing.end();
    });
}

import http from "node:http";
import https from "node:https";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";
import { z } from "zod";

/*
 * POSTs to subscriber-supplied URLs without letting them reach the server's
 * own network. request-filtering-agent checks every address the name
 * resolves to inside the agent's lookup, i.e. the address the socket then
 * connects to (no DNS rebinding between check and connect), and refuses
 * anything not global unicast: loopback, private, link-local (169.254.169.254,
 * the cloud metadata address), CGNAT, unique-local, reserved, 0.0.0.0.
 * Node's http client follows no redirects; a 3xx is reported as it came.
 * One deadline covers connecting, sending and reading the answer, whose body
 * is read only up to a cap.
 */
const settingsSchema = z.object({
  /** Tests only: lets loopback receivers (127.0.0.1, ::1) through. Off by default. */
  CHANNEL_ALLOW_LOOPBACK: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /** Whole-request deadline; Statuspage allows 30 s, a receiver that slow holds a lane too long. */
  CHANNEL_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(10_000),
});

export function channelHttpSettings() {
  const parsed = settingsSchema.safeParse({
    CHANNEL_ALLOW_LOOPBACK: process.env.CHANNEL_ALLOW_LOOPBACK || undefined,
    CHANNEL_TIMEOUT_MS: process.env.CHANNEL_TIMEOUT_MS || undefined,
  });
  if (!parsed.success) throw new Error(`channel settings: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The most of a receiver's answer that is read; the rest is dropped with the connection. */
export const MAX_RESPONSE_BYTES = 16 * 1024;

const agents = new Map<string, http.Agent>();
function agentFor(protocol: "http:" | "https:", allowLoopback: boolean): http.Agent {
  const key = `${protocol}${allowLoopback}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = {
      keepAlive: true,
      // Single addresses, compared as written (a CIDR of the other family would make the library warn on every request).
      allowIPAddressList: allowLoopback ? ["127.0.0.1", "::1"] : [],
    };
    agent = protocol === "https:" ? new RequestFilteringHttpsAgent(options) : new RequestFilteringHttpAgent(options);
    agents.set(key, agent);
  }
  return agent;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** At most MAX_RESPONSE_BYTES of the body, as text. */
  body: string;
}

/** A request that got no HTTP answer: refused address, DNS, connection, timeout. */
export class RequestFailed extends Error {
  readonly refused: boolean;
  constructor(message: string, refused: boolean) {
    super(message);
    this.refused = refused;
  }
}

const REFUSED = /is not allowed\. Because/;

export async function postJson(url: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> {
  return request("POST", url, body, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers });
}

/** The most an import reads of one answer: a page of 100 incidents with their updates. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * fetch's shape for the Statuspage importer (lib/imports/statuspage/sources.ts)
 * when an owner gives the URL: the same refusals and no redirects, 30 s, up
 * to 20 MiB read (a longer answer is refused, not cut).
 */
export async function safeFetch(url: string, init: RequestInit): Promise<Response> {
  const headers = Object.fromEntries(new Headers(init.headers).entries());
  const answer = await request("GET", url, undefined, headers, { maxBytes: MAX_IMPORT_BYTES + 1, timeoutMs: 30_000 });
  if (Buffer.byteLength(answer.body) > MAX_IMPORT_BYTES) throw new RequestFailed("the answer is larger than 20 MiB", false);
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) if (typeof value === "string") responseHeaders.set(name, value);
  return new Response(answer.status === 204 || answer.status === 304 ? null : answer.body, { status: answer.status, headers: responseHeaders });
}

async function request(
  method: "GET" | "POST",
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
  limits: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const { CHANNEL_ALLOW_LOOPBACK, CHANNEL_TIMEOUT_MS: defaultTimeout } = channelHttpSettings();
  const CHANNEL_TIMEOUT_MS = limits.timeoutMs ?? defaultTimeout;
  const maxBytes = limits.maxBytes ?? MAX_RESPONSE_BYTES;
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") throw new RequestFailed("not an http(s) URL", true);
  const client = target.protocol === "https:" ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const signal = AbortSignal.timeout(CHANNEL_TIMEOUT_MS);
    const req = client.request(
      target,
      {
        method,
        agent: agentFor(target.protocol as "http:" | "https:", CHANNEL_ALLOW_LOOPBACK),
        signal,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.on("data", (chunk: Buffer) => {
          const room = maxBytes - size;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size += chunk.length;
          // Enough read: the status is known, the rest is not worth the time or memory.
          if (size >= maxBytes) {
            finish();
            res.destroy();
          }
        });
        res.on("end", finish);
        res.on("error", (error) => (size >= maxBytes ? finish() : reject(failure(error, signal, CHANNEL_TIMEOUT_MS))));
      },
    );
    req.on("error", (error) => reject(failure(error, signal, CHANNEL_TIMEOUT_MS)));
    req.end(body);
  });
}

/* The error, said without the URL (a Slack or Discord URL is a credential). */
function failure(error: Error, signal: AbortSignal, timeoutMs: number): RequestFailed {
  if (signal.aborted) return new RequestFailed(`timed out after ${timeoutMs} ms`, false);
  if (REFUSED.test(error.message)) return new RequestFailed(`refused: ${error.message.replace(/^DNS lookup /, "")}`, true);
  const code = (error as NodeJS.ErrnoException).code;
  return new RequestFailed(code ? `network error ${code}` : `network error: ${error.message}`, false);
}

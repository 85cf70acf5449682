/*
 * A Resend-compatible HTTP server for tests and benchmarks: the subset of the
 * API Candor uses (POST /emails, POST /emails/batch), with Resend's
 * semantics for auth, idempotency keys and rate limits, plus fault
 * injection. The real SDK is pointed at it through RESEND_BASE_URL.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface AcceptedAttachment {
  filename: string;
  /** Decoded content. */
  content: string;
  contentType?: string;
}

export interface AcceptedEmail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  attachments: AcceptedAttachment[];
  idempotencyKey: string | null;
  via: "emails" | "batch";
  at: number;
}

export interface Faults {
  /** Fraction of requests answered 500 before anything is recorded. */
  errorRate?: number;
  /** Fraction of requests delayed by slowMs. */
  slowRate?: number;
  slowMs?: number;
  /** Fraction of requests whose connection drops after the email was accepted (the response is lost). */
  dropRate?: number;
}

export interface ResendServerOptions {
  /** The only key accepted; without it any non-empty Bearer key is. */
  apiKey?: string;
  /** Requests per second (token bucket of that capacity, refilled continuously). */
  rate?: number;
  faults?: Faults;
  /** Keep html, text and attachments of accepted emails (off for large benchmarks). */
  keepBodies?: boolean;
}

interface StoredResponse {
  bodyHash: string;
  status: number;
  body: unknown;
  at: number;
  done: boolean;
}

const DAY = 24 * 60 * 60 * 1000;

export class ResendTestServer {
  readonly emails: AcceptedEmail[] = [];
  /** Every request that reached the API, with its outcome, for assertions on attempts. */
  readonly requests: { path: string; status: number | "dropped"; idempotencyKey: string | null; at: number }[] = [];
  apiKey: string | undefined;
  rate: number;
  faults: Faults;
  readonly keepBodies: boolean;
  private stormUntil = 0;
  private tokens: number;
  private refilledAt = Date.now();
  private readonly idempotency = new Map<string, StoredResponse>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  url = "";

  constructor(options: ResendServerOptions = {}) {
    this.apiKey = options.apiKey;
    this.rate = options.rate ?? 2;
    this.faults = options.faults ?? {};
    this.keepBodies = options.keepBodies ?? true;
    this.tokens = this.rate;
  }

  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${bound}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answer every request with 429 for the next `ms` milliseconds. */
  storm(ms: number): void {
    this.stormUntil = Date.now() + ms;
  }

  setRate(rate: number): void {
    this.rate = rate;
    this.tokens = Math.min(this.tokens, rate);
  }

  /** Accepted emails addressed to one recipient, oldest first. */
  inbox(address: string): AcceptedEmail[] {
    const wanted = address.toLowerCase();
    return this.emails.filter((e) => e.to.some((t) => t.toLowerCase() === wanted));
  }

  clear(): void {
    this.emails.length = 0;
    this.requests.length = 0;
    this.idempotency.clear();
  }

  private takeToken(now: number): boolean {
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "/").split("?")[0];
    const key = header(req, "idempotency-key");
    const record = (status: number | "dropped") => this.requests.push({ path, status, idempotencyKey: key, at: Date.now() });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record(status);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, name: string, message: string, headers: Record<string, string> = {}) =>
      reply(status, { statusCode: status, name, message }, headers);

    // Test-only introspection for other processes (Playwright): the accepted emails, optionally for one address.
    if (req.method === "GET" && path === "/_test/emails") {
      const to = new URL(req.url ?? "/", "http://x").searchParams.get("to");
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(to ? this.inbox(to) : this.emails));
    }
    // Summary for benchmarks in another process (the full list would be large).
    if (req.method === "GET" && path === "/_test/stats") {
      const times = this.emails.map((e) => e.at);
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(
        JSON.stringify({
          emails: this.emails.length,
          recipients: new Set(this.emails.flatMap((e) => e.to)).size,
          firstAt: times.length ? Math.min(...times) : null,
          lastAt: times.length ? Math.max(...times) : null,
          rateLimited: this.requests.filter((r) => r.status === 429).length,
        }),
      );
    }
    if (req.method === "POST" && path === "/_test/reset") {
      const rate = Number(new URL(req.url ?? "/", "http://x").searchParams.get("rate"));
      this.clear();
      if (rate > 0) this.setRate(rate);
      res.writeHead(204);
      return res.end();
    }
    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return fail(404, "not_found", "The requested endpoint does not exist.");
    }
    const auth = header(req, "authorization");
    if (!auth) return fail(401, "missing_api_key", "Missing API key in the authorization header.");
    const valid = this.apiKey ? auth === `Bearer ${this.apiKey}` : /^Bearer \S+$/.test(auth);
    if (!valid) return fail(403, "invalid_api_key", "API key is invalid.");

    const now = Date.now();
    const limited = now < this.stormUntil || !this.takeToken(now);
    if (limited) {
      const wait = now < this.stormUntil ? Math.ceil((this.stormUntil - now) / 1000) : 1;
      return fail(429, "rate_limit_exceeded", "Too many requests. You can only make 2 requests per second.", {
        "ratelimit-limit": String(this.rate),
        "ratelimit-remaining": "0",
        "ratelimit-reset": String(wait),
        "retry-after": String(wait),
      });
    }
    const rateHeaders = {
      "ratelimit-limit": String(this.rate),
      "ratelimit-remaining": String(Math.floor(this.tokens)),
      "ratelimit-reset": "1",
    };

    const { slowRate = 0, slowMs = 0, errorRate = 0, dropRate = 0 } = this.faults;
    if (slowRate > 0 && Math.random() < slowRate) await new Promise((r) => setTimeout(r, slowMs));
    if (errorRate > 0 && Math.random() < errorRate) {
      return fail(500, "internal_server_error", "An unexpected error occurred.");
    }

    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch {
      return fail(400, "validation_error", "Invalid JSON body.");
    }

    const bodyHash = createHash("sha256").update(raw).digest("hex");
    if (key) {
      const stored = this.idempotency.get(key);
      if (stored && now - stored.at < DAY) {
        if (stored.bodyHash !== bodyHash) {
          return fail(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
        }
        if (!stored.done) {
          return fail(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress.");
        }
        return reply(stored.status, stored.body, rateHeaders);
      }
    }
    const entry: StoredResponse = { bodyHash, status: 0, body: null, at: now, done: false };
    if (key) this.idempotency.set(key, entry);

    const result = path === "/emails" ? this.acceptOne(payload, key) : this.acceptBatch(payload, key);
    entry.status = result.status;
    entry.body = result.body;
    entry.done = true;
    if (result.status >= 400 && key) this.idempotency.delete(key);

    if (result.status < 400 && dropRate > 0 && Math.random() < dropRate) {
      record("dropped");
      res.socket?.destroy();
      return;
    }
    reply(result.status, result.body, rateHeaders);
  }

  private acceptOne(payload: unknown, key: string | null): { status: number; body: unknown } {
    const problem = validate(payload);
    if (problem) return { status: 422, body: { statusCode: 422, name: "validation_error", message: problem } };
    const email = toAccepted(payload as ApiEmail, key, "emails", true, this.keepBodies);
    this.emails.push(email);
    return { status: 200, body: { id: email.id } };
  }

  private acceptBatch(payload: unknown, key: string | null): { status: number; body: unknown } {
    if (!Array.isArray(payload) || payload.length === 0 || payload.length > 100) {
      return { status: 422, body: { statusCode: 422, name: "validation_error", message: "Batch must hold 1 to 100 emails." } };
    }
    for (const [i, item] of payload.entries()) {
      const problem = validate(item);
      if (problem) return { status: 422, body: { statusCode: 422, name: "validation_error", message: `[${i}]: ${problem}` } };
    }
    // Like Resend's batch endpoint: attachments are silently dropped.
    const accepted = (payload as ApiEmail[]).map((item) => toAccepted(item, key, "batch", false, this.keepBodies));
    this.emails.push(...accepted);
    return { status: 200, body: { data: accepted.map((e) => ({ id: e.id })) } };
  }
}

interface ApiEmail {
  from: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  attachments?: { filename?: string; content?: string; content_type?: string }[];
}

function validate(payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return "Body must be an object.";
  const p = payload as Partial<ApiEmail>;
  if (typeof p.from !== "string" || !p.from) return "The `from` field is required.";
  const to = Array.isArray(p.to) ? p.to : [p.to];
  if (to.length === 0 || to.some((t) => typeof t !== "string" || !/^[^@\s<>]+@[^@\s<>]+$/.test(t))) {
    return "Invalid `to` field.";
  }
  if (typeof p.subject !== "string" || !p.subject) return "The `subject` field is required.";
  if (!p.html && !p.text) return "Either `html` or `text` is required.";
  return null;
}

function toAccepted(p: ApiEmail, key: string | null, via: AcceptedEmail["via"], keepAttachments: boolean, keepBodies: boolean): AcceptedEmail {
  return {
    id: randomUUID(),
    from: p.from,
    to: Array.isArray(p.to) ? p.to : [p.to],
    subject: p.subject,
    html: keepBodies ? p.html : undefined,
    text: keepBodies ? p.text : undefined,
    headers: p.headers ?? {},
    attachments: keepAttachments && keepBodies
      ? (p.attachments ?? []).map((a) => ({
          filename: a.filename ?? "",
          content: Buffer.from(a.content ?? "", "base64").toString("utf8"),
          contentType: a.content_type,
        }))
      : [],
    idempotencyKey: key,
    via,
    at: Date.now(),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/** Started server in the shape scripts/e2e-server.ts expects. */
export async function startResendServer(options: ResendServerOptions = {}) {
  const server = new ResendTestServer(options);
  const url = await server.start();
  return { url, server, close: () => server.stop() };
}

// `npx tsx test/support/resend-server.ts [port] [rate] [lean]` runs one standalone (benchmarks, by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = new ResendTestServer({ rate: Number(process.argv[3] ?? 200), keepBodies: process.argv[4] !== "lean" });
  console.log(await server.start(Number(process.argv[2] ?? 0)));
}

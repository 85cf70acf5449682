/*
 * `npm start`: the production server. Next handles every request, except the
 * public pages' plain GETs, which are answered from a microcache of Next's
 * own responses (lib/runtime/microcache/). Flags as in `next start`: -p/--port
 * (default $PORT or 3000) and -H/--hostname (default all interfaces).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeSharedDatabase, keepSharedDatabaseOpenOnSignals } from "#db/client.ts";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import { CLIENT_IP_HEADER, FORWARDED_HEADERS, isTrusted, resolveClientIp, trustedProxies } from "#lib/http/client-ip.ts";
import { routeLocale } from "#lib/http/locale-routing.ts";
import { Gate } from "#lib/runtime/gates.ts";
import { localeSettings } from "#lib/runtime/locale-settings.ts";
import { declareProductionServer, openInternalRequests, postInternal } from "#lib/runtime/internal-requests.ts";
import { unknownPaths } from "#lib/runtime/microcache/keys.ts";
import { Microcache } from "#lib/runtime/microcache/microcache.ts";
import { loopbackOrigin } from "#lib/runtime/microcache/origin.ts";

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`Not a port: ${values.port ?? process.env.PORT}`);
  process.exit(1);
}
const trusted = trustedProxies(process.env.TRUSTED_PROXIES);
Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
// Before Next starts: the database and the maintenance clock then leave stopping and timing to this file.
declareProductionServer();
keepSharedDatabaseOpenOnSignals();

const { default: next } = await import("next");
// No hostname for Next: proxy.ts's rewrites carry the host Next's own URLs have (localhost), and Next compares
// them with the hostname it was given; a mismatch would make each rewrite a forwarded request (server actions refused).
const app = next({ dev: false, dir: import.meta.dirname, port });
const handle = app.getRequestHandler();
await app.prepare();

/** This server as seen from inside the process. */
function self(): { host: string; port: number } {
  const address = server.address() as AddressInfo;
  const host = address.address === "::" || address.address === "0.0.0.0" ? "127.0.0.1" : address.address;
  return { host, port: address.port };
}

// Made-up paths get one copy of the not-found page; the build says which paths have none (next.config.mjs distDir).
const unknownPath = unknownPaths(join(import.meta.dirname, process.env.NEXT_DIST_DIR || ".next"), join(import.meta.dirname, "public"));
const microcache = new Microcache(loopbackOrigin(self), { unknownPath });

/*
 * A reader of an unprefixed page who wants another language is sent there
 * before the microcache answers the default locale's copy (proxy.ts does the
 * same for what reaches Next).
 */
async function redirectToReaderLocale(incoming: IncomingMessage, outgoing: ServerResponse): Promise<boolean> {
  if (incoming.method !== "GET" && incoming.method !== "HEAD") return false;
  const url = incoming.url ?? "/";
  const queryAt = url.indexOf("?");
  const route = routeLocale(
    {
      method: incoming.method,
      path: queryAt === -1 ? url : url.slice(0, queryAt),
      search: queryAt === -1 ? "" : url.slice(queryAt),
      cookie: incoming.headers.cookie,
      acceptLanguage: incoming.headers["accept-language"],
    },
    await localeSettings(),
  );
  if (route.kind !== "redirect") return false;
  outgoing.writeHead(307, { location: route.location, "cache-control": "private, no-store", vary: "Cookie, Accept-Language" });
  outgoing.end();
  return true;
}

async function route(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  if (await redirectToReaderLocale(incoming, outgoing)) return;
  try {
    if (await microcache.handle(incoming, outgoing)) return;
  } catch (error) {
    console.error("[microcache]", error);
    if (outgoing.headersSent) throw error;
  }
  await handle(incoming, outgoing);
}

/** Who sent this: the socket's peer, or what a trusted proxy says (lib/http/client-ip.ts). Nothing a client sends decides it. */
function identify(incoming: IncomingMessage): void {
  const peer = incoming.socket.remoteAddress;
  incoming.headers[CLIENT_IP_HEADER] = resolveClientIp(peer, incoming.headers["x-forwarded-for"], trusted);
  if (!peer || !isTrusted(trusted, peer)) for (const name of FORWARDED_HEADERS) delete incoming.headers[name];
}

/*
 * A refusal answered once the client has finished sending (the body is read
 * and dropped: answering mid-upload makes clients fail with EPIPE before they
 * read the answer); past 16 MB the connection is cut instead.
 */
function refuse(incoming: IncomingMessage, outgoing: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): true {
  let dropped = 0;
  incoming.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > 16 * 1024 * 1024) incoming.socket.destroy();
  });
  incoming.once("end", () => {
    outgoing.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers });
    outgoing.end(`${message}\n`);
  });
  return true;
}

/*
 * Next refuses a server action body over its limit (1 MB by default,
 * experimental.serverActions.bodySizeLimit) by throwing, which answers 500.
 * The public forms post a few hundred bytes: a larger body on any path
 * outside /api and /admin (which have their own limits) is refused first.
 */
const PUBLIC_BODY_LIMIT = 1024 * 1024;
function refuseOversizedBody(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
  if (incoming.method !== "POST" || /^\/(api|admin)(\/|$|\?)/.test(incoming.url ?? "/")) return false;
  const length = incoming.headers["content-length"];
  if (length === undefined) {
    return incoming.headers["transfer-encoding"] !== undefined && refuse(incoming, outgoing, 411, "A request body needs a Content-Length.");
  }
  return Number(length) > PUBLIC_BODY_LIMIT && refuse(incoming, outgoing, 413, "Request body too large: the limit is 1 MB.");
}

/* Next answers a path with malformed percent-encoding (`/confirm/%E0%A4%A`) with a 500: it is the client's 400. */
function refuseMalformedPath(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
  try {
    decodeURIComponent((incoming.url ?? "/").split("?")[0]);
    return false;
  } catch {
    return refuse(incoming, outgoing, 400, "Malformed percent-encoding in the path.");
  }
}

/*
 * Sign-in attempts in flight: each costs database work (throttles,
 * better-auth's rate limit) before its bounded password hash
 * (lib/auth/password-hashing.ts). One client (an IPv4 address, an IPv6 /64) gets
 * SIGN_IN_PER_CLIENT at once and everyone together SIGN_IN_CONCURRENCY;
 * past that a sign-in gets 503 at once, before Next, so a flood cannot take
 * the machine from public readers. A browser with a device cookie (one that
 * signed in before; checked later, in lib/auth/sessions.ts) skips the shared bound, so
 * others' flood cannot keep the owner out; a forged one still meets the
 * per-client bound and the throttles.
 */
const signIns = new Gate(Math.max(1, Number(process.env.SIGN_IN_CONCURRENCY) || 8), 0);
const SIGN_IN_PER_CLIENT = 2;
const signInsByClient = new Map<string, number>();
const SIGN_IN = /^\/(?:api\/auth\/sign-in\/email|admin\/sign-in)\/?(?:\?|$)/;
function refuseSignInFlood(incoming: IncomingMessage, outgoing: ServerResponse): boolean {
  if (incoming.method !== "POST" || !SIGN_IN.test(incoming.url ?? "")) return false;
  const busy = () => refuse(incoming, outgoing, 503, "Too many sign-ins at once. Try again in a few seconds.", { "retry-after": "2" });
  const client = limitKeyOf(String(incoming.headers[CLIENT_IP_HEADER]));
  const mine = signInsByClient.get(client) ?? 0;
  if (mine >= SIGN_IN_PER_CLIENT) return busy();
  const known = /(?:^|;\s*)candor_device=/.test(incoming.headers.cookie ?? "");
  if (!known && !signIns.tryEnter()) return busy();
  signInsByClient.set(client, mine + 1);
  outgoing.once("close", () => {
    if (!known) signIns.leave();
    const left = (signInsByClient.get(client) ?? 1) - 1;
    if (left > 0) signInsByClient.set(client, left);
    else signInsByClient.delete(client);
  });
  return false;
}

const server = createServer((incoming, outgoing) => {
  identify(incoming);
  if (refuseMalformedPath(incoming, outgoing) || refuseOversizedBody(incoming, outgoing) || refuseSignInFlood(incoming, outgoing)) return;
  route(incoming, outgoing).catch((error: unknown) => {
    console.error(error);
    if (outgoing.headersSent) {
      outgoing.destroy(error as Error);
      return;
    }
    outgoing.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    outgoing.end("Internal Server Error");
  });
});
// A client trickling a request (a sign-in body, say) holds its slot at most this long.
server.headersTimeout = 20_000;
server.requestTimeout = 30_000;
server.listen(port, values.hostname, () => {
  const { host, port: bound } = self();
  openInternalRequests(`http://${host.includes(":") ? `[${host}]` : host}:${bound}`);
  console.log(`Candor is listening on http://${values.hostname ?? "localhost"}:${bound}`);
  // The clock's runs before this point waited (lib/domain/maintenance.ts): start what is due now.
  postInternal("/api/internal/maintenance-clock").catch((error: unknown) => console.error(`[maintenance] ${(error as Error).message}`));
});

/*
 * Stop taking connections, let requests in flight finish (10 s at most),
 * then close Next and the database (PGlite must not be cut off mid-write)
 * and exit. A second signal (Ctrl-C reaches both `npm run demo` and this
 * process) changes nothing.
 */
let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  server.closeAllConnections();
  await app.close().catch(() => {});
  await closeSharedDatabase();
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());

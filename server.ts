/*
 * `npm start`: the production server. Next handles every request, except the
 * public pages' plain GETs, which are answered from a microcache of Next's
 * own responses (lib/microcache.ts). Flags as in `next start`: -p/--port
 * (default $PORT or 3000) and -H/--hostname (default all interfaces).
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { CLIENT_IP_HEADER, FORWARDED_HEADERS, isTrusted, resolveClientIp, trustedProxies } from "./lib/client-ip.ts";
import { declareProductionServer, openInternalRequests, postInternal } from "./lib/internal-requests.ts";
import { MICROCACHE_BYPASS, Microcache, microcachePath, type OriginResponse } from "./lib/microcache.ts";

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

const { default: next } = await import("next");
const app = next({ dev: false, dir: import.meta.dirname, hostname: values.hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const loopback = new Agent({ keepAlive: true, maxSockets: 8 });
/** This server as seen from inside the process. */
function self(): { host: string; port: number } {
  const address = server.address() as AddressInfo;
  const host = address.address === "::" || address.address === "0.0.0.0" ? "127.0.0.1" : address.address;
  return { host, port: address.port };
}

function fromNext(path: string): Promise<OriginResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { ...self(), path, agent: loopback, headers: { [MICROCACHE_BYPASS]: "1" }, timeout: 30_000 },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on("error", reject);
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`Next did not answer ${path} within 30 s`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}
const microcache = new Microcache(fromNext);

async function route(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
  const path = microcachePath(incoming);
  if (path !== null) {
    try {
      if (await microcache.serve(path, incoming, outgoing)) return;
    } catch (error) {
      console.error("[microcache]", error);
      if (outgoing.headersSent) throw error;
    }
  }
  await handle(incoming, outgoing);
}

/** Who sent this: the socket's peer, or what a trusted proxy says (lib/client-ip.ts). Nothing a client sends decides it. */
function identify(incoming: IncomingMessage): void {
  const peer = incoming.socket.remoteAddress;
  incoming.headers[CLIENT_IP_HEADER] = resolveClientIp(peer, incoming.headers["x-forwarded-for"], trusted);
  if (!peer || !isTrusted(trusted, peer)) for (const name of FORWARDED_HEADERS) delete incoming.headers[name];
}

const server = createServer((incoming, outgoing) => {
  identify(incoming);
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
server.listen(port, values.hostname, () => {
  const { host, port: bound } = self();
  openInternalRequests(`http://${host.includes(":") ? `[${host}]` : host}:${bound}`);
  console.log(`Candor is listening on http://${values.hostname ?? "localhost"}:${bound}`);
  // The clock's runs before this point waited (lib/maintenance.ts): start what is due now.
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
  const database = (globalThis as { candorDb?: Promise<{ close(): Promise<void> }> }).candorDb;
  await database?.then((handle) => handle.close()).catch(() => {});
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stop());

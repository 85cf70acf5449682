import { BlockList, isIP } from "node:net";
import { normalizeIp } from "#lib/core/ip-addresses.ts";
import { isProductionServer } from "#lib/runtime/internal-requests.ts";

/*
 * Who the client is. `X-Forwarded-For` and friends are whatever the client
 * sends unless a proxy we trust wrote them, so server.ts resolves the address
 * once per request from the socket and TRUSTED_PROXIES, writes it into
 * CLIENT_IP_HEADER (overwriting anything the client sent) and drops forwarded
 * headers that did not come from a trusted proxy. Everything else — sign-in
 * throttles, subscribe limits, audit entries, API keys — reads that header
 * through clientIp().
 */
export const CLIENT_IP_HEADER = "x-candor-client-ip";

/** Headers only a trusted proxy may set; removed when the peer is not one. */
export const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDRs (`10.0.0.0/8`,
 * `::1`, `127.0.0.1`). A malformed entry is an error at start-up, not a silent hole.
 */
export function trustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const raw of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [address, bits] = raw.split("/");
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (family === 0) throw new Error(`TRUSTED_PROXIES: not an address or CIDR: ${raw}`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const prefix = Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
      throw new Error(`TRUSTED_PROXIES: bad prefix length in ${raw}`);
    }
    list.addSubnet(ip, prefix, type);
  }
  return list;
}

export function isTrusted(list: BlockList, address: string): boolean {
  const ip = normalizeIp(address);
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The client's address: the socket's peer unless that peer is a trusted
 * proxy; then X-Forwarded-For is walked from the right (the hop our proxy
 * appended) past every trusted hop, and the first untrusted one is the client.
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  const socket = normalizeIp(peer ?? "");
  if (!socket || !isTrusted(trusted, socket)) return socket || "unknown";
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((h) => normalizeIp(h))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(hops[i]) === 0) return socket;
    if (!isTrusted(trusted, hops[i])) return hops[i];
  }
  // Every hop is a trusted proxy: the left-most is as close to the client as we know.
  return hops[0] ?? socket;
}

/**
 * The resolved client address of a request (set by server.ts). Under
 * `next start` nothing sets it and a client could: there it is null. Tests
 * and `next dev` (NODE_ENV other than production) pass it in themselves.
 */
export function clientIp(headers: Headers | null | undefined): string | null {
  if (process.env.NODE_ENV === "production" && !isProductionServer()) return null;
  return headers?.get(CLIENT_IP_HEADER) || null;
}

function firstForwarded(headers: Headers, name: string): string | null {
  return headers.get(name)?.split(",")[0]?.trim() || null;
}

/** Whether an X-Forwarded-Proto value says https (its first hop: the one the browser used). */
export function forwardedHttps(proto: string | string[] | null | undefined): boolean {
  return typeof proto === "string" && proto.split(",")[0].trim().toLowerCase() === "https";
}

/** Whether the request reached the site over https: only a trusted proxy's X-Forwarded-Proto survives server.ts. */
export function overHttps(headers: Headers | null | undefined): boolean {
  return forwardedHttps(headers?.get("x-forwarded-proto"));
}

/**
 * The origin the browser addressed, as Next's server actions compare it: a
 * trusted proxy's X-Forwarded-Host and -Proto (server.ts drops them from
 * anyone else), else the Host header and the request's own protocol.
 * request.url carries this server's own host and port behind a proxy.
 */
export function addressedOrigin(headers: Headers, requestUrl: string): string {
  const url = new URL(requestUrl);
  const host = firstForwarded(headers, "x-forwarded-host") ?? headers.get("host") ?? url.host;
  const protocol = overHttps(headers) || url.protocol === "https:" ? "https" : "http";
  return `${protocol}://${host}`;
}

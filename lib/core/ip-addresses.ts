/* Client addresses as the limits count them: pure, so the domain can key its own limits. */

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
}

/**
 * What per-client limits count by: an IPv4 address, or an IPv6 address's
 * /64 (one subscriber line gets a whole /64; counting single IPv6 addresses
 * would let one client rotate through 2^64 of them).
 */
export function limitKeyOf(ip: string): string {
  const address = normalizeIp(ip);
  if (!address.includes(":")) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, "::" expanded (an embedded IPv4 tail as two groups). */
function expandIpv6(address: string): string[] {
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    address = `${address.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail = ""] = address.includes("::") ? address.split("::") : [address, ""];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => (parseInt(g, 16) || 0).toString(16));
}

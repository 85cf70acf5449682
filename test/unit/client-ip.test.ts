import { describe, expect, it } from "vitest";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import { resolveClientIp, trustedProxies } from "#lib/http/client-ip.ts";

describe("the client's address", () => {
  const none = trustedProxies(undefined);
  const proxies = trustedProxies("127.0.0.1, 10.0.0.0/8, ::1");

  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientIp("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
    expect(resolveClientIp("::ffff:203.0.113.9", "1.2.3.4, 5.6.7.8", none)).toBe("203.0.113.9");
  });

  it("is the socket's peer when the peer is not a trusted proxy", () => {
    expect(resolveClientIp("198.51.100.7", "1.2.3.4", proxies)).toBe("198.51.100.7");
  });

  it("is the right-most untrusted hop behind trusted proxies (the left-most hops are the client's to forge)", () => {
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, 203.0.113.5", proxies)).toBe("203.0.113.5");
    expect(resolveClientIp("::ffff:127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.2.3", proxies)).toBe("203.0.113.5");
    expect(resolveClientIp("::1", ["6.6.6.6", "203.0.113.5"], proxies)).toBe("203.0.113.5");
  });

  it("falls back to the peer when a trusted proxy sent no header or garbage", () => {
    expect(resolveClientIp("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", "not-an-ip", proxies)).toBe("127.0.0.1");
  });

  it("refuses a malformed TRUSTED_PROXIES at start-up instead of trusting nothing or everything", () => {
    expect(() => trustedProxies("10.0.0.0/33")).toThrow(/TRUSTED_PROXIES/);
    expect(() => trustedProxies("example.com")).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("what per-client limits count by", () => {
  it("is an IPv4 address itself, and an IPv6 address's /64", () => {
    expect(limitKeyOf("203.0.113.9")).toBe("203.0.113.9");
    expect(limitKeyOf("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(limitKeyOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("2001:0DB8:0001:0002::")).toBe("2001:db8:1:2::/64");
    expect(limitKeyOf("::1")).toBe("0:0:0:0::/64");
    expect(limitKeyOf("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });
});

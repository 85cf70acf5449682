/*
 * Who the client is, on the production server (server.ts): the socket's
 * address unless the peer is a trusted proxy (TRUSTED_PROXIES). Forwarded
 * headers from anyone else are dropped, so rotating X-Forwarded-For buys an
 * attacker nothing, and behind a configured proxy redirects and cookies
 * follow the address and protocol the browser used.
 */
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { signInCookie, startPreparedServer, type NextServer } from "../support/next-server.ts";

const PASSWORD = "proxy-test-password-1";

/** The server, on a database with an owner and a write API key. */
async function startServer(trustedProxies: string): Promise<{ server: NextServer; apiKey: string }> {
  let apiKey = "";
  const server = await startPreparedServer({
    env: { CANDOR_WORKER: "off", TRUSTED_PROXIES: trustedProxies },
    async prepare(db) {
      await createUser(db, systemActor, { email: "owner@proxy.test", password: PASSWORD, role: "owner" });
      apiKey = (await createApiKey(db, systemActor, { name: "proxy test", scope: "write" })).token;
    },
  });
  return { server, apiKey };
}

/** The owner's audit page, which shows each entry's IP. */
async function auditIps(server: NextServer, cookie: string): Promise<string> {
  return (await fetch(`${server.url}/admin/audit`, { headers: { cookie } })).text();
}

/** Declares an incident through the management API: a write that leaves an audit entry with the caller's IP. */
function declare(server: NextServer, apiKey: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/v1/incidents`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ name: "Elevated API errors", severity: "SEV-3", body: "We are investigating.", notify: false }),
  });
}

async function signIn(server: NextServer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.url, ...headers },
    body: JSON.stringify({ email: "owner@proxy.test", password: PASSWORD }),
  });
}

describe("no trusted proxy (the default)", () => {
  let server: NextServer;
  let apiKey: string;
  let owner: string;
  beforeAll(async () => {
    ({ server, apiKey } = await startServer(""));
    // Before the sweep below slows this address down.
    owner = await signInAsOwner(server);
  }, 120_000);
  afterAll(() => server?.stop());

  it("rotating X-Forwarded-For does not get past the sign-in throttle", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: server.url, "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `203.0.113.${i}` },
        body: JSON.stringify({ email: `sweep${i}@proxy.test`, password: "wrong password!" }),
      });
      statuses.push(response.status);
    }
    // Every attempt came from 127.0.0.1: the per-IP limits refuse most of them before any password is checked.
    expect(statuses.filter((s) => s === 401).length, statuses.join(" ")).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length, statuses.join(" ")).toBeGreaterThanOrEqual(10);
  });

  it("a burst of sign-ins past the in-flight bound is turned away at once with 503, never a 500", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(`${server.url}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: JSON.stringify({ email: `burst${i}@proxy.test`, password: "wrong password!" }),
        }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 503).length, statuses.join(" ")).toBeGreaterThan(0);
    expect(statuses.every((s) => [401, 429, 503].includes(s)), statuses.join(" ")).toBe(true);
    expect(answers.find((r) => r.status === 503)!.headers.get("retry-after")).toBe("2");
  });

  it("audit entries record the socket's address, not a forged header", async () => {
    const created = await declare(server, apiKey, { "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.7" });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    // PGlite is one process: read the entry back through the owner's audit page.
    const html = await auditIps(server, owner);
    expect(html).toContain("127.0.0.1");
    expect(html).not.toContain("6.6.6.6");
    expect(html).not.toContain("6.6.6.7");
  });

  it("a forged X-Forwarded-Host / -Proto is ignored: the sign-in redirect stays on this server", async () => {
    const response = await fetch(`${server.url}/admin`, {
      redirect: "manual",
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).not.toContain("evil.example");
  });
});

function signInAsOwner(server: NextServer): Promise<string> {
  return signInCookie(server, "owner@proxy.test", PASSWORD);
}

describe("behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)", () => {
  let server: NextServer;
  let apiKey: string;
  const proxied = { host: "status.example.com", "x-forwarded-host": "status.example.com", "x-forwarded-proto": "https" };
  beforeAll(async () => {
    ({ server, apiKey } = await startServer("127.0.0.1,::1"));
  }, 120_000);
  afterAll(() => server?.stop());

  it("the admin's sign-in redirect goes to the public host and protocol, not this server's", async () => {
    const response = await fetch(`${server.url}/admin/settings`, { redirect: "manual", headers: proxied });
    expect(response.status).toBe(307);
    const location = response.headers.get("location")!;
    expect(location.startsWith("/") || location.startsWith("https://status.example.com/"), location).toBe(true);
    expect(location).not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it("the session cookie is Secure when the proxy says https", async () => {
    const response = await signIn(server, { ...proxied, origin: "https://status.example.com" });
    expect(response.status, await response.clone().text()).toBe(200);
    const session = response.headers.getSetCookie().find((c) => /session_token=/.test(c));
    expect(session).toMatch(/; Secure/i);
    const plain = await signIn(server);
    expect(plain.headers.getSetCookie().find((c) => /session_token=/.test(c))).not.toMatch(/; Secure/i);
  });

  it("slow sign-ins that fill the shared bound keep others out, never the owner's own browser", async () => {
    const first = await signIn(server, { "x-forwarded-for": "203.0.113.200" });
    expect(first.status).toBe(200);
    const device = first.headers.getSetCookie().find((c) => c.startsWith("candor_device="))!.split(";")[0];
    // Eight clients each start a sign-in and trickle its body: the shared bound (SIGN_IN_CONCURRENCY, 8) is full.
    const { port } = new URL(server.url);
    const held = Array.from({ length: 8 }, (_, i) => {
      const outgoing = request({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/auth/sign-in/email",
        headers: { "content-type": "application/json", "content-length": "200", origin: server.url, "x-forwarded-for": `198.51.100.${i + 1}` },
      });
      outgoing.on("error", () => {});
      outgoing.write('{"email":');
      return outgoing;
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const stranger = await signIn(server, { "x-forwarded-for": "192.0.2.50" });
      expect(stranger.status).toBe(503);
      const owner = await signIn(server, { "x-forwarded-for": "192.0.2.51", cookie: device });
      expect(owner.status, await owner.clone().text()).toBe(200);
    } finally {
      for (const outgoing of held) outgoing.destroy();
    }
  });

  it("audit entries record the right-most untrusted X-Forwarded-For hop", async () => {
    const created = await declare(server, apiKey, { "x-forwarded-for": "6.6.6.6, 203.0.113.77" });
    expect(created.status, await created.clone().text()).toBeLessThan(300);
    const html = await auditIps(server, await signInAsOwner(server));
    expect(html).toContain("203.0.113.77");
    expect(html).not.toContain("6.6.6.6");
  });
});

/*
 * Subscriber-supplied URLs never reach the server's own network: every
 * refusal here is made by the connecting agent (request-filtering-agent),
 * on the address the name resolved to, and none reaches a socket. Real
 * local receivers stand in for the internal services an attacker aims at.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_RESPONSE_BYTES, postJson, RequestFailed, safeFetch } from "#lib/delivery/safe-http.ts";
import { Receiver } from "../support/receiver.ts";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("SSRF-safe sending", () => {
  const internal = new Receiver();
  beforeAll(() => internal.start());
  afterAll(() => internal.stop());

  async function refused(url: string) {
    const error = await postJson(url, "{}", {}).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, url).toBeInstanceOf(RequestFailed);
    expect((error as RequestFailed).refused, url).toBe(true);
    // The message names the address, never the URL's path (a Slack or Discord URL's path is its credential).
    expect((error as RequestFailed).message).not.toContain("/hook-secret");
    return error as RequestFailed;
  }

  it("refuses loopback, private, link-local/metadata and CGNAT addresses by default", async () => {
    delete process.env.CHANNEL_ALLOW_LOOPBACK;
    const port = new URL(internal.url).port;
    await refused(`http://127.0.0.1:${port}/hook-secret`);
    await refused(`http://[::1]:${port}/hook-secret`);
    await refused("http://10.0.0.1/hook-secret");
    await refused("http://192.168.1.1/hook-secret");
    await refused("http://172.16.0.1/hook-secret");
    await refused("http://169.254.169.254/latest/meta-data/hook-secret");
    await refused("http://100.64.0.1/hook-secret");
    await refused("http://0.0.0.0/hook-secret");
    await refused(`http://[::ffff:127.0.0.1]:${port}/hook-secret`);
    // A name that resolves to loopback is refused on its resolved address.
    const byName = await refused(`http://localhost:${port}/hook-secret`);
    expect(byName.message).toMatch(/^refused: (127\.0\.0\.1|::1)/);
    expect(internal.requests).toHaveLength(0);
  });

  it("the loopback setting lets only loopback through (for tests), never private networks", async () => {
    process.env.CHANNEL_ALLOW_LOOPBACK = "true";
    const answer = await postJson(`${internal.url}/ok`, '{"a":1}', { "x-test": "1" });
    expect(answer.status).toBe(200);
    expect(internal.at("/ok")[0].raw).toBe('{"a":1}');
    await refused("http://10.0.0.1/hook-secret");
    await refused("http://169.254.169.254/hook-secret");
  });

  it("an invalid setting is an error, not a silent default", async () => {
    process.env.CHANNEL_ALLOW_LOOPBACK = "yes please";
    await expect(postJson(`${internal.url}/ok`, "{}", {})).rejects.toThrow(/CHANNEL_ALLOW_LOOPBACK/);
  });

  it("follows no redirect: a 3xx toward an internal address comes back as the answer", async () => {
    process.env.CHANNEL_ALLOW_LOOPBACK = "true";
    internal.on("/redirect", (_r, res) => void res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end());
    internal.on("/redirect-local", (_r, res) => void res.writeHead(302, { location: `${internal.url}/internal-admin` }).end());
    expect((await postJson(`${internal.url}/redirect`, "{}", {})).status).toBe(307);
    expect((await postJson(`${internal.url}/redirect-local`, "{}", {})).status).toBe(302);
    expect(internal.at("/internal-admin")).toHaveLength(0);
  });

  it("times out a receiver that never answers, and caps how much of a huge answer is read", async () => {
    process.env.CHANNEL_ALLOW_LOOPBACK = "true";
    process.env.CHANNEL_TIMEOUT_MS = "300";
    internal.on("/hang", () => undefined);
    const started = Date.now();
    const error = await postJson(`${internal.url}/hang`, "{}", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestFailed);
    expect((error as RequestFailed).refused).toBe(false);
    expect((error as RequestFailed).message).toBe("timed out after 300 ms");
    expect(Date.now() - started).toBeLessThan(2_000);

    // A body that trickles forever: the cap ends the read long before the deadline.
    process.env.CHANNEL_TIMEOUT_MS = "5000";
    internal.on("/firehose", (_r, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = "x".repeat(4096);
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(chunk)), 1);
    });
    const big = await postJson(`${internal.url}/firehose`, "{}", {});
    expect(big.status).toBe(200);
    expect(big.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it("the importer's GET: the same refusals, JSON read whole, no redirect followed", async () => {
    delete process.env.CHANNEL_ALLOW_LOOPBACK;
    const port = new URL(internal.url).port;
    const before = internal.requests.length;
    await expect(safeFetch(`http://127.0.0.1:${port}/api/v2/components.json`, {})).rejects.toThrow(/^refused: 127\.0\.0\.1/);
    await expect(safeFetch("http://169.254.169.254/latest/meta-data/", {})).rejects.toBeInstanceOf(RequestFailed);
    expect(internal.requests).toHaveLength(before);

    process.env.CHANNEL_ALLOW_LOOPBACK = "true";
    const big = JSON.stringify({ components: Array.from({ length: 5000 }, (_, i) => ({ id: `c${i}`, name: "x".repeat(20) })) });
    internal.on("/api/v2/components.json", (req, res) => {
      res.writeHead(200, { "content-type": "application/json", "x-seen-auth": String(req.headers.authorization) });
      res.end(big);
    });
    internal.on("/moved", (_req, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/" });
      res.end();
    });
    const answer = await safeFetch(`${internal.url}/api/v2/components.json`, { headers: { authorization: "OAuth k" } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-seen-auth")).toBe("OAuth k");
    expect(((await answer.json()) as { components: unknown[] }).components).toHaveLength(5000);
    const moved = await safeFetch(`${internal.url}/moved`, {});
    expect([moved.status, moved.headers.get("location")]).toEqual([302, "http://169.254.169.254/"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authHandler, createAuth, type Auth } from "#lib/auth/sessions.ts";
import { CLIENT_IP_HEADER } from "#lib/http/client-ip.ts";
import { hashingLoad } from "#lib/auth/password-hashing.ts";
import { pruneSignInThrottles, THROTTLE } from "#lib/auth/sign-in-throttles.ts";
import { acceptInvite, createInvite, createUser, ensureDemoOwner, findUsableInvite, setUserActive, setUserRole } from "#lib/domain/admin-users.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import type { DbHandle } from "#db/client.ts";

const PASSWORD = "correct horse battery";

function signInRequest(email: string, password: string, ip: string, origin = "http://localhost:3000", cookie?: string) {
  return new Request("http://localhost:3000/api/auth/sign-in/email", {
    method: "POST",
    headers: { "content-type": "application/json", origin, [CLIENT_IP_HEADER]: ip, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ email, password }),
  });
}

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(engines)("sign-in and users on %s", (engine) => {
  let handle: DbHandle;
  let auth: Auth;
  beforeAll(async () => {
    handle = await freshDatabase(engine);
    process.env.BETTER_AUTH_URL = "http://localhost:3000";
    auth = await createAuth(handle.db);
    await createUser(handle.db, systemActor, { email: "Lead@Example.com", password: PASSWORD, role: "editor" });
  });
  afterAll(() => handle.close());

  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie", async () => {
    const response = await auth.handler(signInRequest("lead@example.com", PASSWORD, "10.0.0.1"));
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = /([\w.-]*session_token)=([^;]+)/.exec(cookie)!;
    const session = await auth.api.getSession({ headers: new Headers({ cookie: `${token[1]}=${token[2]}` }) });
    expect(session?.user.email).toBe("lead@example.com");
    expect(session?.user.role).toBe("editor");
  });

  it("signs out everywhere: every session of the user ends", async () => {
    const cookieOf = async (ip: string) => {
      const response = await auth.handler(signInRequest("lead@example.com", PASSWORD, ip));
      expect(response.status).toBe(200);
      return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    };
    const laptop = await cookieOf("10.5.0.1");
    const phone = await cookieOf("10.5.0.2");
    expect(await auth.api.getSession({ headers: new Headers({ cookie: phone }) })).not.toBeNull();
    await auth.api.revokeSessions({ headers: new Headers({ cookie: laptop }) });
    expect(await auth.api.getSession({ headers: new Headers({ cookie: laptop }) })).toBeNull();
    expect(await auth.api.getSession({ headers: new Headers({ cookie: phone }) })).toBeNull();
  });

  it("removing a user's access ends their sessions and refuses their sign-in; restoring it lets them back", async () => {
    const user = await createUser(handle.db, systemActor, { email: "leaver@example.com", password: PASSWORD, role: "editor" });
    const signedIn = await auth.handler(signInRequest("leaver@example.com", PASSWORD, "10.6.0.1"));
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).not.toBeNull();
    const owner: Actor = { id: "o", name: "o@example.com", source: "session", role: "owner" };
    await setUserActive(handle.db, owner, { userId: user.id, active: false });
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
    expect((await auth.handler(signInRequest("leaver@example.com", PASSWORD, "10.6.0.2"))).status).toBeGreaterThanOrEqual(400);
    await expect(setUserActive(handle.db, { ...owner, role: "editor" }, { userId: user.id, active: true })).rejects.toMatchObject({ code: "forbidden" });
    await setUserActive(handle.db, owner, { userId: user.id, active: true });
    expect((await auth.handler(signInRequest("leaver@example.com", PASSWORD, "10.6.0.3"))).status).toBe(200);
    await expect(setUserActive(handle.db, { ...owner, id: user.id }, { userId: user.id, active: false })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("marks the session cookie Secure when the public URL is https", async () => {
    process.env.BETTER_AUTH_URL = "https://status.example.com";
    try {
      const secureAuth = await createAuth(handle.db);
      const response = await secureAuth.handler(
        new Request("https://status.example.com/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://status.example.com", [CLIENT_IP_HEADER]: "10.7.0.1" },
          body: JSON.stringify({ email: "lead@example.com", password: PASSWORD }),
        }),
      );
      expect(response.status).toBe(200);
      const cookie = response.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/__Secure-[\w.-]*session_token=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/HttpOnly/i);
    } finally {
      process.env.BETTER_AUTH_URL = "http://localhost:3000";
    }
  });

  it("refuses a sign-in from a foreign Origin", async () => {
    const response = await auth.handler(signInRequest("lead@example.com", PASSWORD, "10.0.0.2", "https://evil.example"));
    expect(response.status).toBe(403);
  });

  it("slows an account down after repeated failures, even with the right password, from any IP, and says how long", async () => {
    await createUser(handle.db, systemActor, { email: "victim@example.com", password: PASSWORD, role: "viewer" });
    for (let i = 0; i < THROTTLE.freeAttempts.account; i++) {
      const r = await auth.handler(signInRequest("victim@example.com", "wrong password!", `10.1.0.${i}`));
      expect(r.status).toBe(401);
    }
    const blocked = await auth.handler(signInRequest("victim@example.com", PASSWORD, "10.1.1.1"));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // A delay, not a lockout: once it has passed, the right password works and forgives the account.
    await sleep(Number(blocked.headers.get("retry-after")) * 1000 + 50);
    expect((await auth.handler(signInRequest("victim@example.com", PASSWORD, "10.1.1.2"))).status).toBe(200);
    expect((await auth.handler(signInRequest("victim@example.com", "wrong password!", "10.1.1.3"))).status).toBe(401);
  });

  it("the delays grow: each failure past the free ones doubles the wait", async () => {
    await createUser(handle.db, systemActor, { email: "grows@example.com", password: PASSWORD, role: "viewer" });
    for (let i = 0; i < THROTTLE.freeAttempts.account; i++) await auth.handler(signInRequest("grows@example.com", "wrong password!", `10.2.0.${i}`));
    const waits: number[] = [];
    for (let round = 0; round < 2; round++) {
      const refused = await auth.handler(signInRequest("grows@example.com", "wrong password!", "10.2.1.1"));
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get("retry-after"));
      waits.push(wait);
      await sleep(wait * 1000 + 50);
      expect((await auth.handler(signInRequest("grows@example.com", "wrong password!", "10.2.1.1"))).status).toBe(401);
    }
    expect(waits[1]).toBeGreaterThan(waits[0]);
  });

  it("an account guessed at for days waits the longest delay, never an error", async () => {
    await handle.db
      .withTables<{ sign_in_throttles: { key: string; attempts: number; not_before: Date } }>()
      .insertInto("sign_in_throttles")
      .values({ key: "account:patient@example.com", attempts: 5000, not_before: new Date(Date.now() - 1000) })
      .execute();
    expect((await auth.handler(signInRequest("patient@example.com", "wrong password!", "10.12.0.1"))).status).toBe(401);
    const refused = await auth.handler(signInRequest("patient@example.com", "wrong password!", "10.12.0.2"));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBe(THROTTLE.maxDelaySeconds);
  });

  it("of 40 simultaneous guesses at one account, only the free attempts reach the password check", async () => {
    await createUser(handle.db, systemActor, { email: "raced@example.com", password: PASSWORD, role: "viewer" });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => auth.handler(signInRequest("raced@example.com", "wrong password!", `10.4.${i}.1`))),
    );
    const statuses = answers.map((r) => r.status);
    // 401: the password was checked; 429: refused before it; 503: the hashing queue was full (also before it).
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(THROTTLE.freeAttempts.account);
    expect(statuses.filter((s) => s !== 401 && s !== 429 && s !== 503)).toEqual([]);
  });

  it("an attacker's failures never lock the owner out of a browser that has signed in before", async () => {
    await createUser(handle.db, systemActor, { email: "boss@example.com", password: PASSWORD, role: "editor" });
    const first = await auth.handler(signInRequest("boss@example.com", PASSWORD, "10.8.0.1"));
    expect(first.status).toBe(200);
    const device = first.headers.getSetCookie().find((c) => c.startsWith("candor_device="));
    expect(device, "a device cookie is set on success").toBeTruthy();
    expect(device).toMatch(/HttpOnly/i);
    for (let i = 0; i < THROTTLE.freeAttempts.account + 3; i++) {
      await auth.handler(signInRequest("boss@example.com", "wrong password!", `10.8.1.${i}`));
    }
    expect((await auth.handler(signInRequest("boss@example.com", PASSWORD, "10.8.2.1"))).status).toBe(429);
    // The owner's own browser, even from a new network:
    const owner = await auth.handler(signInRequest("boss@example.com", PASSWORD, "10.8.3.1", undefined, device!.split(";")[0]));
    expect(owner.status).toBe(200);
    // A device cookie for another account, or a forged one, earns nothing.
    const forged = `candor_device=${encodeURIComponent("x|boss@example.com")}.forged`;
    expect((await auth.handler(signInRequest("boss@example.com", PASSWORD, "10.8.4.1", undefined, forged))).status).toBe(429);
  });

  it("throttles an IP that sweeps many accounts", async () => {
    for (let i = 0; i < THROTTLE.freeAttempts.ip; i++) {
      const r = await auth.api.signInEmail({
        body: { email: `nobody${i}@example.com`, password: "wrong password!" },
        headers: new Headers({ [CLIENT_IP_HEADER]: "10.9.9.9" }),
        asResponse: true,
      });
      expect(r.status).toBe(401);
    }
    const blocked = auth.api.signInEmail({
      body: { email: "lead@example.com", password: PASSWORD },
      headers: new Headers({ [CLIENT_IP_HEADER]: "10.9.9.9" }),
    });
    await expect(blocked).rejects.toMatchObject({ statusCode: 429 });
  });

  it("hashes at most a few passwords at once and turns the overflow away at once, without hashing", async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => auth.handler(signInRequest(`flood${i}@example.com`, "wrong password!", `10.10.${i}.1`))),
    );
    const { slots, queue } = hashingLoad();
    // Gate semantics themselves: test/unit/gates.test.ts.
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length, `60 at once with ${slots} slots and a queue of ${queue}`).toBeGreaterThan(0);
    expect(busy[0].headers.get("retry-after")).toBeTruthy();
    expect(answers.every((r) => r.status === 401 || r.status === 503)).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("forgets quiet throttles (retention)", async () => {
    await handle.db.withTables<{ sign_in_throttles: { key: string; attempts: number; not_before: Date } }>()
      .insertInto("sign_in_throttles")
      .values({ key: "account:old@example.com", attempts: 9, not_before: new Date(Date.now() - 86_400_000) })
      .execute();
    expect(await pruneSignInThrottles(handle.db)).toBeGreaterThanOrEqual(1);
    const left = await handle.db.withTables<{ sign_in_throttles: { key: string } }>().selectFrom("sign_in_throttles").select("key").where("key", "=", "account:old@example.com").execute();
    expect(left).toEqual([]);
  });

  it("better-auth's other HTTP endpoints (its admin plugin's create-user and set-role, sign-up) answer 404", async () => {
    const signedIn = await auth.handler(signInRequest("lead@example.com", PASSWORD, "10.11.0.1"));
    const cookie = cookiesOf(signedIn);
    for (const [path, body] of [
      ["/api/auth/admin/create-user", { email: "evil@example.com", password: "short", name: "x", role: "owner" }],
      ["/api/auth/admin/set-role", { userId: "x", role: "owner" }],
      ["/api/auth/admin/list-users", {}],
      ["/api/auth/sign-up/email", { email: "me2@example.com", password: PASSWORD, name: "me" }],
      ["/api/auth/change-password", { currentPassword: PASSWORD, newPassword: "short" }],
    ] as const) {
      const response = await authHandler(
        new Request(`http://localhost:3000${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "http://localhost:3000", cookie, [CLIENT_IP_HEADER]: "10.11.0.1" },
          body: JSON.stringify(body),
        }),
      );
      expect(response.status, path).toBe(404);
    }
    const users = await handle.db.withTables<{ users: { email: string } }>().selectFrom("users").select("email").where("email", "=", "evil@example.com").execute();
    expect(users).toEqual([]);
  });

  it("refuses open sign-up", async () => {
    const r = await auth.handler(
      new Request("http://localhost:3000/api/auth/sign-up/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3000", [CLIENT_IP_HEADER]: "10.3.3.3" },
        body: JSON.stringify({ email: "me@example.com", password: PASSWORD, name: "me" }),
      }),
    );
    expect(r.status).toBeGreaterThanOrEqual(400);
  });

  it("only owners create users and invites", async () => {
    const editor: Actor = { id: "e", name: "e@example.com", source: "session", role: "editor" };
    await expect(createUser(handle.db, editor, { email: "x@example.com", password: PASSWORD })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createInvite(handle.db, editor, { email: "x@example.com", role: "viewer" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("an invite link works once, then never again", async () => {
    const { token } = await createInvite(handle.db, systemActor, { email: "new@example.com", role: "editor", hours: 1 });
    expect(await findUsableInvite(handle.db, token)).toMatchObject({ email: "new@example.com", role: "editor" });
    const user = await acceptInvite(handle.db, { token, password: PASSWORD });
    expect(user.role).toBe("editor");
    await expect(acceptInvite(handle.db, { token, password: PASSWORD })).rejects.toMatchObject({ code: "conflict" });
    expect(await findUsableInvite(handle.db, token)).toBeNull();
    const signIn = await auth.api.signInEmail({ body: { email: "new@example.com", password: PASSWORD }, asResponse: true });
    expect(signIn.status).toBe(200);
  });

  it("an expired invite is refused", async () => {
    const { token, invite } = await createInvite(handle.db, systemActor, { email: "late@example.com", role: "viewer", hours: 1 });
    await handle.db.withTables<{ invites: { id: string; expires_at: Date } }>().updateTable("invites").set({ expires_at: new Date(Date.now() - 1000) }).where("id", "=", invite.id).execute();
    await expect(acceptInvite(handle.db, { token, password: PASSWORD })).rejects.toThrow(/expired/);
  });

  it("the last owner cannot be demoted; the demo owner can sign in with the printed password", async () => {
    const demo = await ensureDemoOwner(handle.db);
    const users = await handle.db.withTables<{ users: { id: string; email: string } }>().selectFrom("users").select(["id", "email"]).execute();
    const demoUser = users.find((u) => u.email === demo.email)!;
    await expect(setUserRole(handle.db, systemActor, { userId: demoUser.id, role: "viewer" })).rejects.toMatchObject({ code: "invalid_input" });
    const again = await ensureDemoOwner(handle.db);
    const signIn = await auth.api.signInEmail({ body: { email: again.email, password: again.password }, asResponse: true });
    expect(signIn.status).toBe(200);
  });
});

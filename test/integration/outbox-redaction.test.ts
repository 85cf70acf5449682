/*
 * Nobody below owner can read a working link token in the admin area
 * (hardening finding 1: a viewer read an invite link in the local outbox
 * and redeemed it as owner). Invites are kept in the outbox without their
 * link; confirm, manage and unsubscribe links are shown to owners only.
 *
 * 1. The lib functions the outbox pages use, with each role as the actor, on
 *    PGlite and PostgreSQL.
 * 2. The real server (production build in NEXT_DIST_DIR, seeded PGlite):
 *    signed in as viewer and as editor, every /admin page reachable by
 *    links (and the subscriber export) is fetched, and no response holds an
 *    actually issued invite, confirm or manage token. The owner's crawl does
 *    find the confirm token: the grep is not vacuous.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor, type Role } from "#lib/domain/actors.ts";
import { acceptInvite, createInvite, createUser, emailInvite } from "#lib/domain/admin-users.ts";
import { drainDeliveries } from "../support/deliveries.ts";
import { getOutboxEmail, listOutboxEmails } from "#lib/delivery/outbox.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { outboxMailer } from "#lib/delivery/mailer.ts";
import { confirmationFor, subscribe, subscriptionFor } from "#lib/domain/subscribers/subscriptions.ts";
import { linkToken, tokenSecret } from "#lib/domain/subscribers/links.ts";
import { seedActiveSubscribers } from "../support/subscribers.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { signInCookie, startPreparedServer, type NextServer } from "../support/next-server.ts";

const ROLES: Role[] = ["viewer", "editor", "owner"];
const actor = (role: Role): Actor => ({ id: `${role}-id`, name: `${role}@example.com`, source: "session", role });
/* A link that carries something token-shaped after a credential path. */
const LIVE_LINK = /\/(?:confirm|manage|unsubscribe|invite)\/(?!redacted)[A-Za-z0-9_.-]{20,}/;

interface Issued {
  invite: string;
  confirm: string;
  manage: string;
  inviteEmailId: string;
  confirmEmailId: string;
  updateEmailId: string;
}

/* An invite (emailed to the local outbox), a pending sign-up and an active subscriber who got an update, all sent to the outbox. */
async function issueTokens(db: Db): Promise<Issued> {
  const { invite, token, path } = await createInvite(db, systemActor, { email: "new.owner@example.com", role: "owner" });
  expect(await emailInvite(db, invite, `https://status.example.com${path}`)).toBe(true);
  await subscribe(db, { email: "pending@example.com" });
  await seedActiveSubscribers(db, [{ email: "active@example.com" }]);
  await declareIncident(db, systemActor, { name: "Token leak drill", severity: "SEV-3", body: "Checking links.", components: [] });
  await drainDeliveries({ db, mailer: outboxMailer(db) });
  const secret = await tokenSecret(db);
  const tokenId = async (email: string, purpose: "confirm" | "manage") =>
    (
      await db
        .selectFrom("subscriber_tokens as t")
        .innerJoin("subscribers as s", "s.id", "t.subscriber_id")
        .select("t.id")
        .where("s.email", "=", email)
        .where("t.purpose", "=", purpose)
        .executeTakeFirstOrThrow()
    ).id;
  const emailId = async (recipient: string) =>
    (await db.selectFrom("outbox_emails").select("id").where("recipient", "=", recipient).executeTakeFirstOrThrow()).id;
  const issued = {
    invite: token,
    confirm: linkToken(secret, await tokenId("pending@example.com", "confirm")),
    manage: linkToken(secret, await tokenId("active@example.com", "manage")),
    inviteEmailId: await emailId("new.owner@example.com"),
    confirmEmailId: await emailId("pending@example.com"),
    updateEmailId: await emailId("active@example.com"),
  };
  // The tokens are real: each one works (checked without using any up).
  expect(await confirmationFor(db, issued.confirm)).not.toBeNull();
  expect(await subscriptionFor(db, issued.manage)).toMatchObject({ status: "active" });
  return issued;
}

const secrets = (t: Issued) => [t.invite, t.confirm, t.manage];

describe.each(engines)("outbox redaction (lib) on %s", (engine) => {
  let h: DbHandle;
  let issued: Issued;
  const savedKey = process.env.RESEND_API_KEY;
  beforeAll(async () => {
    delete process.env.RESEND_API_KEY;
    h = await freshDatabase(engine);
    issued = await issueTokens(h.db);
  });
  afterAll(async () => {
    if (savedKey !== undefined) process.env.RESEND_API_KEY = savedKey;
    await h?.close();
  });

  it("the invite is stored without its link, for everyone", async () => {
    const stored = JSON.stringify(await h.db.selectFrom("outbox_emails").selectAll().execute());
    expect(stored).not.toContain(issued.invite);
    const owner = JSON.stringify(await getOutboxEmail(h.db, actor("owner"), issued.inviteEmailId));
    expect(owner).toContain("/admin/invite/redacted");
    expect(owner).not.toMatch(/\/invite\/(?!redacted)/);
  });

  it.each(["viewer", "editor"] as const)("a %s reads no usable token in the outbox list or any email", async (role) => {
    const list = await listOutboxEmails(h.db, actor(role), 500);
    expect(list.length).toBeGreaterThanOrEqual(3);
    const read = [JSON.stringify(list)];
    for (const e of list) read.push(JSON.stringify(await getOutboxEmail(h.db, actor(role), e.id)));
    for (const body of read) {
      for (const token of secrets(issued)) expect(body).not.toContain(token);
      expect(body).not.toMatch(LIVE_LINK);
    }
    // What they do see in place of the links is no credential.
    const confirmation = (await getOutboxEmail(h.db, actor(role), issued.confirmEmailId))!;
    const seen = /\/confirm\/([^"\s<]+)/.exec(confirmation.html ?? "")![1];
    expect(await confirmationFor(h.db, seen)).toBeNull();
    const update = (await getOutboxEmail(h.db, actor(role), issued.updateEmailId))!;
    expect(update.headers["List-Unsubscribe"]).toMatch(/\/unsubscribe\/redacted\/one-click>$/);
  });

  it("an owner still sees the subscriber links, exactly as sent", async () => {
    const confirmation = JSON.stringify(await getOutboxEmail(h.db, actor("owner"), issued.confirmEmailId));
    expect(confirmation).toContain(issued.confirm);
    const update = (await getOutboxEmail(h.db, actor("owner"), issued.updateEmailId))!;
    expect(update.headers["List-Unsubscribe"]).toContain(issued.manage);
    expect(update.html).toContain(`/manage/${issued.manage}`);
  });

  it("the invite link the owner was given still works once", async () => {
    const user = await acceptInvite(h.db, { token: issued.invite, password: "a-long-enough-password-1" });
    expect(user.role).toBe("owner");
  });
});

describe("outbox redaction on the real server (crawl as viewer, editor, owner)", () => {
  let server: NextServer;
  let issued: Issued;
  const PASSWORD = "redaction-password-1";
  const cookies: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    const savedKey = process.env.RESEND_API_KEY;
    delete process.env.RESEND_API_KEY;
    try {
      server = await startPreparedServer({
        env: { CANDOR_WORKER: "off", RESEND_API_KEY: "" },
        async prepare(db) {
          await seedDemo(db);
          for (const role of ROLES) await createUser(db, systemActor, { email: `${role}@redaction.test`, password: PASSWORD, role });
          issued = await issueTokens(db);
        },
      });
    } finally {
      if (savedKey !== undefined) process.env.RESEND_API_KEY = savedKey;
    }
    for (const role of ROLES) cookies[role] = await signInCookie(server, `${role}@redaction.test`, PASSWORD);
  }, 180_000);

  afterAll(() => server?.stop());

  /** Every /admin URL reachable by links from /admin for this role, with its response body. */
  async function crawl(role: Role): Promise<Map<string, string>> {
    const seen = new Map<string, string>();
    const todo = ["/admin", "/admin/subscribers/export.csv"];
    while (todo.length > 0 && seen.size < 300) {
      const path = todo.shift()!;
      if (seen.has(path)) continue;
      const response = await fetch(`${server.url}${path}`, { redirect: "manual", headers: { cookie: cookies[role]! } });
      const body = await response.text();
      seen.set(path, body);
      for (const [, href] of body.matchAll(/href="(\/admin[^"#]*)"/g)) {
        const next = href.replaceAll("&amp;", "&");
        if (!seen.has(next) && !next.startsWith("/admin/sign-")) todo.push(next);
      }
    }
    return seen;
  }

  it.each(["viewer", "editor"] as const)("a %s finds no issued token on any page it can reach", async (role) => {
    const pages = await crawl(role);
    console.log(`[measure] ${role}: ${pages.size} admin URLs crawled, none holds an issued token`);
    // The crawl reached the outbox and each email in it (not a vacuous pass).
    for (const id of [issued.inviteEmailId, issued.confirmEmailId, issued.updateEmailId]) expect(pages.has(`/admin/outbox/${id}`)).toBe(true);
    expect(pages.get("/admin/subscribers/export.csv")).toContain("pending@example.com");
    expect(pages.get("/admin/audit")).toContain("invite.create");
    expect(pages.size).toBeGreaterThanOrEqual(10);
    for (const [path, body] of pages) {
      for (const token of secrets(issued)) expect(body.includes(token), `${role} reads a token at ${path}`).toBe(false);
      expect(LIVE_LINK.exec(body)?.[0] ?? null, `${role} reads a link at ${path}`).toBeNull();
    }
  }, 120_000);

  it("an owner's crawl shows the subscriber links it may see, and never the invite link", async () => {
    const pages = await crawl("owner");
    expect(pages.get(`/admin/outbox/${issued.confirmEmailId}`)).toContain(issued.confirm);
    for (const [path, body] of pages) expect(body.includes(issued.invite), `owner reads the invite at ${path}`).toBe(false);
  }, 120_000);
});

/*
 * Subscribing, confirming, managing and leaving, on both engines: double
 * opt-in, no enumeration, throttles, hashed revocable tokens, CSV in and
 * out, erasure, and the provider's bounce/complaint webhooks.
 */
import { createHash, createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { applyResendEvent, receiveResendWebhook } from "#lib/delivery/resend-webhook.ts";
import { drainDeliveries } from "../support/deliveries.ts";

import { outboxMailer } from "#lib/delivery/mailer.ts";
import {
  confirmationFor,
  confirmSubscription,
  subscribe,
  subscriptionFor,
  unsubscribe,
  updateSubscription,
} from "#lib/domain/subscribers/subscriptions.ts";
import { countRecipients, deleteSubscriber, revokeLinks } from "#lib/domain/subscribers/admin.ts";
import { exportSubscribersCsv, importSubscribersCsv } from "#lib/domain/subscribers/csv.ts";
import { linkToken, tokenSecret } from "#lib/domain/subscribers/links.ts";
import { pruneSubscriberRecords } from "#lib/domain/subscribers/retention.ts";
import { engines, freshDatabase } from "../support/databases.ts";

describe.each(engines)("subscribers on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let web: string;

  beforeEach(async () => {
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
  });
  afterEach(() => h.close());

  /** Sends what is queued into the local outbox and returns the emails for an address. */
  async function mailTo(address: string) {
    await drainDeliveries({ db: h.db, mailer: outboxMailer(h.db), rate: 1000, idleMs: 100 });
    return h.db.selectFrom("outbox_emails").selectAll().where("recipient", "=", address).orderBy("created_at").execute();
  }

  const confirmTokenFrom = (text: string | null) => /\/confirm\/([\w-]+\.[\w-]+)/.exec(text ?? "")![1];

  it("double opt-in: pending until the emailed link is confirmed; the token is stored only hashed", async () => {
    expect(await subscribe(h.db, { email: " Ann@Example.COM ", components: [api] }, { ip: "10.0.0.1" })).toEqual({ ok: true });
    const row = await h.db.selectFrom("subscribers").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ email: "ann@example.com", status: "pending", all_components: false });
    const [confirmation] = await mailTo("ann@example.com");
    expect(confirmation.subject).toMatch(/Confirm your subscription/);
    const token = confirmTokenFrom(confirmation.text);
    const stored = await h.db.selectFrom("subscriber_tokens").selectAll().where("purpose", "=", "confirm").executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(token.split(".")[1]);
    expect(stored.expires_at!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    // Showing the confirm page changes nothing; confirming does, once.
    expect(await confirmationFor(h.db, token)).toEqual({ email: "a•••@example.com" });
    expect((await h.db.selectFrom("subscribers").select("status").executeTakeFirstOrThrow()).status).toBe("pending");
    const manageToken = (await confirmSubscription(h.db, token)).manageToken!;
    expect((await h.db.selectFrom("subscribers").select("status").executeTakeFirstOrThrow()).status).toBe("active");
    await expect(confirmSubscription(h.db, token)).rejects.toMatchObject({ code: "not_found" });
    expect(await subscriptionFor(h.db, manageToken)).toMatchObject({ status: "active", allComponents: false, components: [api] });
  });

  it("answers the same for a known address, sends nothing to an active one, and never confirms an expired link", async () => {
    await subscribe(h.db, { email: "bob@example.com" });
    const [first] = await mailTo("bob@example.com");
    const manageToken = (await confirmSubscription(h.db, confirmTokenFrom(first.text))).manageToken!;
    expect(await subscribe(h.db, { email: "bob@example.com" })).toEqual({ ok: true });
    expect(await mailTo("bob@example.com")).toHaveLength(1);
    expect(manageToken).toBeTruthy();

    await subscribe(h.db, { email: "late@example.com" });
    const [mail] = await mailTo("late@example.com");
    await h.db.updateTable("subscriber_tokens").set({ expires_at: new Date(Date.now() - 1000) }).where("purpose", "=", "confirm").execute();
    await expect(confirmSubscription(h.db, confirmTokenFrom(mail.text))).rejects.toMatchObject({ code: "not_found" });
    expect(await confirmationFor(h.db, confirmTokenFrom(mail.text))).toBeNull();
  });

  it("throttles: per address silently (no mail bomb), per IP with an error", async () => {
    for (let i = 0; i < 5; i++) await subscribe(h.db, { email: "victim@example.com" }, { ip: `10.1.0.${i}` });
    expect(await mailTo("victim@example.com")).toHaveLength(3);
    for (let i = 0; i < 10; i++) await subscribe(h.db, { email: `sweep${i}@example.com` }, { ip: "10.2.0.1" });
    await expect(subscribe(h.db, { email: "one-more@example.com" }, { ip: "10.2.0.1" })).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("rejects a bad address or an unknown component, naming the field", async () => {
    await expect(subscribe(h.db, { email: "not-an-email" })).rejects.toMatchObject({ issues: [{ field: "email" }] });
    await expect(subscribe(h.db, { email: "c@example.com", components: ["nosuchcompo1"] })).rejects.toMatchObject({
      issues: [{ field: "components.0" }],
    });
  });

  it("refuses control characters, lone surrogates and bidi overrides by field; trims invisible edges", async () => {
    for (const bad of ["a\u0000b@example.com", "\ud800@example.com", "ev\u202eil@example.com", "\u200b\u200b", "\ufeff"]) {
      await expect(subscribe(h.db, { email: bad }), JSON.stringify(bad)).rejects.toMatchObject({ issues: [{ field: "email" }] });
    }
    for (const bad of ["\u0000", "\ud800", `\u202e${api}`, "\u200b", "x".repeat(100_000)]) {
      await expect(subscribe(h.db, { email: "e@example.com", components: [api, bad] })).rejects.toMatchObject({
        issues: [{ field: "components.1" }],
      });
    }
    await expect(updateSubscription(h.db, "\u0000", { components: ["\u0000"] })).rejects.toMatchObject({ code: "not_found" });
    expect(await h.db.selectFrom("subscribe_attempts").selectAll().execute()).toEqual([]);
    await subscribe(h.db, { email: "\u200bZed@Example.com\u200b" });
    expect((await h.db.selectFrom("subscribers").select("email").executeTakeFirstOrThrow()).email).toBe("zed@example.com");
  });

  it("prunes attempts past the longest throttle window and pending subscribers whose confirmation expired", async () => {
    await subscribe(h.db, { email: "never@example.com" }, { ip: "10.9.0.1" });
    await subscribe(h.db, { email: "kept@example.com" });
    const manageToken = (await confirmSubscription(h.db, confirmTokenFrom((await mailTo("kept@example.com"))[0].text))).manageToken!;
    const day = 86_400_000;
    // A day later: the attempts no longer count for any throttle; the pending link is still live.
    expect(await pruneSubscriberRecords(h.db, new Date(Date.now() + day + 60_000))).toEqual({ attempts: 3, pending: 0 });
    // A fresh attempt, then past the 7-day confirmation: the pending address and its queued confirmation go.
    await subscribe(h.db, { email: "late-again@example.com" });
    expect(await pruneSubscriberRecords(h.db, new Date(Date.now() + 7 * day + 60_000))).toEqual({ attempts: 1, pending: 2 });
    const left = await h.db.selectFrom("subscribers").select(["email", "status"]).execute();
    expect(left).toEqual([{ email: "kept@example.com", status: "active" }]);
    const ids = left.length ? (await h.db.selectFrom("subscribers").select("id").execute()).map((r) => r.id) : [];
    expect(await h.db.selectFrom("deliveries").select("subscriber_id").where("subscriber_id", "not in", ids).execute()).toEqual([]);
    expect(await h.db.selectFrom("subscriber_tokens").select("id").where("subscriber_id", "not in", ids).execute()).toEqual([]);
    // The confirmation email sent to the local outbox went with the address.
    expect(await h.db.selectFrom("outbox_emails").select("recipient").where("recipient", "=", "never@example.com").execute()).toEqual([]);
    expect(await subscriptionFor(h.db, manageToken)).toMatchObject({ status: "active" });
  });

  it("manages components, unsubscribes through the link, and revoked links stop working", async () => {
    await subscribe(h.db, { email: "dee@example.com" });
    const manageToken = (await confirmSubscription(h.db, confirmTokenFrom((await mailTo("dee@example.com"))[0].text))).manageToken!;
    expect(await countRecipients(h.db, [web])).toBe(1);
    await updateSubscription(h.db, manageToken, { components: [api] });
    expect(await countRecipients(h.db, [web])).toBe(0);
    expect(await countRecipients(h.db, [api])).toBe(1);
    await unsubscribe(h.db, manageToken);
    expect(await countRecipients(h.db, [api])).toBe(0);
    expect((await subscriptionFor(h.db, manageToken))?.status).toBe("unsubscribed");

    const id = (await h.db.selectFrom("subscribers").select("id").executeTakeFirstOrThrow()).id;
    await revokeLinks(h.db, systemActor, id);
    expect(await subscriptionFor(h.db, manageToken)).toBeNull();
    await expect(unsubscribe(h.db, manageToken)).rejects.toMatchObject({ code: "not_found" });
    // A forged token (right shape, wrong MAC) finds nothing.
    const tokenId = manageToken.split(".")[0];
    expect(await subscriptionFor(h.db, linkToken("another secret", tokenId))).toBeNull();
    expect(manageToken).toBe(linkToken(await tokenSecret(h.db), tokenId));
  });

  it("imports CSV row by row with a report, exports it, and deleting erases the address", async () => {
    const csv = [
      "email,consented,components",
      "ok1@example.com,yes,",
      "ok2@example.com,no,API",
      "broken-address,yes,",
      "ok1@example.com,yes,",
      "ok3@example.com,yes,Nope",
      `"quoted,name@example.com",yes,`,
      "ok4@example.com,true,API;Web",
    ].join("\n");
    const report = await importSubscribersCsv(h.db, systemActor, { csv });
    expect(report).toMatchObject({ imported: 3, active: 2, confirmationsSent: 1 });
    expect(report.rejected.map((r) => [r.line, r.reason])).toEqual([
      [4, "not an email address"],
      [5, "appears twice in the file"],
      [6, "unknown component: Nope"],
      [7, "not an email address"],
    ]);
    expect(await mailTo("ok2@example.com")).toHaveLength(1);
    expect(await mailTo("ok1@example.com")).toHaveLength(0);

    const exported = await exportSubscribersCsv(h.db, systemActor);
    const lines = exported.trim().split("\n");
    expect(lines[0]).toBe("email,status,components,created_at,confirmed_at,consent_source");
    expect(lines.find((l) => l.startsWith("ok1@"))).toMatch(/^ok1@example\.com,active,all,/);
    expect(lines.find((l) => l.startsWith("ok4@"))).toContain([api, web].sort().join(";"));

    const ok2 = await h.db.selectFrom("subscribers").select("id").where("email", "=", "ok2@example.com").executeTakeFirstOrThrow();
    await deleteSubscriber(h.db, systemActor, { id: ok2.id });
    for (const table of ["subscribers", "outbox_emails", "subscribe_attempts"] as const) {
      const rows = await h.db.selectFrom(table).selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain("ok2@example.com");
    }
    expect(await h.db.selectFrom("deliveries").selectAll().where("subscriber_id", "=", ok2.id).execute()).toHaveLength(0);
  });

  it("webhooks: a verified bounce or complaint stops mail; a bad signature or a soft bounce changes nothing", async () => {
    await importSubscribersCsv(h.db, systemActor, { csv: "email,consented\nbounce@example.com,yes\nspam@example.com,yes\nsoft@example.com,yes" });
    const secret = `whsec_${Buffer.from("candor webhook test secret").toString("base64")}`;
    process.env.RESEND_WEBHOOK_SECRET = secret;
    // Svix's scheme, as Resend signs: v1,base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")).
    const sign = (body: string) => {
      const id = "msg_1";
      const timestamp = String(Math.floor(Date.now() / 1000));
      const key = Buffer.from(secret.slice("whsec_".length), "base64");
      const mac = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
      return new Headers({ "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${mac}` });
    };
    const bounce = JSON.stringify({ type: "email.bounced", data: { email_id: "e1", to: ["bounce@example.com"], bounce: { type: "Permanent" } } });
    const forged = new Headers({ "svix-id": "x", "svix-timestamp": String(Math.floor(Date.now() / 1000)), "svix-signature": "v1,bad" });
    expect(await receiveResendWebhook(bounce, forged, h.db)).toMatchObject({ status: 401 });
    expect((await h.db.selectFrom("subscribers").select("status").where("email", "=", "bounce@example.com").executeTakeFirstOrThrow()).status).toBe(
      "active",
    );
    expect(await receiveResendWebhook(bounce, sign(bounce), h.db)).toEqual({ status: 200, message: "stopped" });
    expect(await applyResendEvent(h.db, { type: "email.complained", data: { to: ["spam@example.com"] } })).toBe("stopped");
    expect(
      await applyResendEvent(h.db, { type: "email.bounced", data: { to: ["soft@example.com"], bounce: { type: "Transient" } } }),
    ).toBe("ignored");
    const statuses = Object.fromEntries(
      (await h.db.selectFrom("subscribers").select(["email", "status"]).execute()).map((r) => [r.email, r.status]),
    );
    expect(statuses).toEqual({ "bounce@example.com": "bounced", "spam@example.com": "complained", "soft@example.com": "active" });
    expect(await countRecipients(h.db, [])).toBe(1);
    delete process.env.RESEND_WEBHOOK_SECRET;
  });
});

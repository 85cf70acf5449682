/*
 * Channel subscribers (webhook, Slack, Discord, Teams) through the same
 * outbox as email, against real databases and real local HTTP receivers:
 * every kind's payload, the signature checked with node:crypto alone,
 * retries, redirects, timeouts, quarantine and "Send test".
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { changeComponentStatus, createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { sendTestMessage } from "#lib/delivery/channel-send.ts";
import { createChannelSubscriber, listChannelSubscribers, reenableChannelSubscriber, subscribeChannel } from "#lib/domain/subscribers/channels.ts";
import { confirmationFor, confirmSubscription } from "#lib/domain/subscribers/subscriptions.ts";
import { drainDeliveries } from "../support/deliveries.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { Receiver, type Received } from "../support/receiver.ts";
import { seedActiveSubscribers, seedChannelSubscribers } from "../support/subscribers.ts";

const SECRET = "whsec_test_secret";

/** The receiver's side of the signature, written from the README's description with node:crypto alone. */
function verify(r: Received, secret: string, toleranceSeconds = 300): boolean {
  const header = String(r.headers["candor-signature"] ?? "");
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${r.raw}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const editor: Actor = { ...systemActor, role: "editor", name: "editor@example.com" };
const viewer: Actor = { ...systemActor, role: "viewer", name: "viewer@example.com" };

const saved = { ...process.env };
beforeEach(() => {
  process.env.CHANNEL_ALLOW_LOOPBACK = "true";
  process.env.DELIVERY_BACKOFF_MS = "20";
  process.env.DELIVERY_BACKOFF_MAX_MS = "200";
  process.env.DELIVERY_LEASE_MS = "5000";
  process.env.PUBLIC_URL = "https://status.example.com";
  delete process.env.RESEND_API_KEY;
});
afterEach(() => {
  process.env = { ...saved };
});

describe.each(engines)("channel subscribers on %s", (engine) => {
  let h: DbHandle;
  let receiver: Receiver;
  let api: string;
  let web: string;
  const drain = () => drainDeliveries({ db: h.db, pollMs: 20, idleMs: 300 });

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(() => receiver.stop());
  beforeEach(async () => {
    receiver.clear();
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
    await getPage(h.db);
    await h.db.updateTable("page").set({ url: "https://status.example.com" }).execute();
  });
  afterEach(() => h.close());

  async function subscribeEach() {
    const kinds = [
      { path: "/candor", channel: "webhook" as const, format: "candor" as const },
      { path: "/statuspage", channel: "webhook" as const, format: "statuspage" as const },
      { path: "/slack", channel: "slack" as const },
      { path: "/discord", channel: "discord" as const },
      { path: "/teams", channel: "teams" as const },
    ];
    for (const k of kinds) {
      await seedChannelSubscribers(h.db, [{ url: `${receiver.url}${k.path}`, channel: k.channel, format: k.format, secret: SECRET }]);
    }
    // Follows only Web: hears nothing of an API incident.
    await seedChannelSubscribers(h.db, [{ url: `${receiver.url}/web-only`, channel: "webhook", components: [web], secret: SECRET }]);
    await seedActiveSubscribers(h.db, [{ email: "a@example.com" }, { email: "b@example.com", components: [web] }]);
  }

  it("one update reaches every kind once, signed, with its native payload; email alongside", async () => {
    await subscribeEach();
    const { incident, update } = await declareIncident(h.db, systemActor, {
      name: "Checkout <errors> & timeouts",
      severity: "SEV-2",
      body: "We are **investigating** failed checkouts.",
      components: [{ id: api, status: "partial_outage" }],
    });
    await drain();
    for (const path of ["/candor", "/statuspage", "/slack", "/discord", "/teams"]) {
      const got = receiver.at(path);
      expect(got.map((r) => `${r.at} ${String(r.headers["candor-event-id"])}`), path).toHaveLength(1);
      expect(verify(got[0], SECRET), `${path} signature`).toBe(true);
      expect(got[0].headers["candor-event-id"]).toMatch(new RegExp(`^u:${update.id}:[a-z0-9]{12}$`));
      expect(got[0].headers["content-type"]).toBe("application/json");
    }
    expect(receiver.at("/web-only")).toHaveLength(0);
    // Tampering with the body breaks the signature.
    expect(verify({ ...receiver.at("/candor")[0], raw: receiver.at("/candor")[0].raw.replace("Checkout", "Check0ut") }, SECRET)).toBe(false);

    const link = `https://status.example.com/incidents/${incident.id}`;
    const candor = receiver.at("/candor")[0].json as Record<string, any>;
    expect(candor).toMatchObject({
      version: "1",
      type: "incident.update",
      id: receiver.at("/candor")[0].headers["candor-event-id"],
      page: { url: "https://status.example.com", status: { indicator: "minor", description: "Minor Service Outage" } },
      data: { update_id: update.id, incident: { id: incident.id, name: "Checkout <errors> & timeouts", status: "investigating", url: link, kind: "incident" } },
    });

    const slack = receiver.at("/slack")[0].json as Record<string, any>;
    expect(slack.text).toContain("Checkout &lt;errors&gt; &amp; timeouts — Investigating");
    expect(slack.text).toContain(link);
    const blocks = slack.attachments[0].blocks;
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Checkout <errors> & timeouts — Investigating", emoji: true } });
    expect(blocks[1].fields.map((f: { text: string }) => f.text)).toEqual(["*Status*\nInvestigating", "*Impact*\nMajor impact"]);
    expect(blocks[2].text.text).toBe("We are **investigating** failed checkouts.");
    expect(blocks[3].text.text).toContain("API: Operational → Partial outage");
    expect(blocks.at(-1).elements[0].text).toContain(`<${link}|View incident>`);
    expect(slack.attachments[0].color).toMatch(/^#[0-9a-f]{6}$/);

    const discord = receiver.at("/discord")[0];
    expect(receiver.requests.find((r) => r === discord)).toBeDefined();
    const embed = (discord.json as Record<string, any>).embeds[0];
    expect(embed).toMatchObject({ title: "Checkout <errors> & timeouts", url: link, description: "We are **investigating** failed checkouts." });
    expect(embed.color).toBeTypeOf("number");
    expect(embed.fields).toContainEqual({ name: "Status", value: "Investigating", inline: true });
    expect((discord.json as Record<string, any>).content).toContain("Investigating");

    const teams = receiver.at("/teams")[0].json as Record<string, any>;
    expect(teams.type).toBe("message");
    expect(teams.attachments[0]).toMatchObject({ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null });
    const card = teams.attachments[0].content;
    expect(card).toMatchObject({ type: "AdaptiveCard", version: "1.5", actions: [{ type: "Action.OpenUrl", title: "View incident", url: link }] });
    expect(card.body[0].text).toBe("Checkout <errors> & timeouts");

    // Email subscribers heard through the same outbox (the demo outbox here): the one following API.
    const emails = await h.db.selectFrom("outbox_emails").select("recipient").execute();
    expect(emails.map((e) => e.recipient)).toEqual(["a@example.com"]);
  }, 30_000);

  it("chat messages speak the subscriber's language; webhook JSON stays a machine format", async () => {
    for (const [path, channel] of [["/slack-de", "slack"], ["/discord-ar", "discord"], ["/teams-de", "teams"], ["/candor-de", "webhook"]] as const) {
      await createChannelSubscriber(h.db, editor, { url: `${receiver.url}${path}`, channel, locale: path.endsWith("ar") ? "ar" : "de" });
    }
    await declareIncident(h.db, systemActor, { name: "Checkout", severity: "SEV-2", body: "Wir untersuchen.", components: [{ id: api, status: "partial_outage" }] });
    await drain();
    const slack = receiver.at("/slack-de")[0].json as Record<string, any>;
    const blocks = slack.attachments[0].blocks;
    expect(blocks[0].text.text).toBe("Checkout — Untersuchung");
    expect(blocks[1].fields.map((f: { text: string }) => f.text)).toEqual(["*Status*\nUntersuchung", "*Auswirkung*\nErhebliche Auswirkung"]);
    expect(blocks[3].text.text).toBe("*Betroffen*\n• API: Betriebsbereit → Teilausfall");
    expect(blocks.at(-1).elements[0].text).toContain("|Vorfall ansehen>");
    const discord = (receiver.at("/discord-ar")[0].json as Record<string, any>).embeds[0];
    expect(discord.fields).toContainEqual({ name: "الحالة", value: "قيد التحقيق", inline: true });
    const card = (receiver.at("/teams-de")[0].json as Record<string, any>).attachments[0].content;
    expect(card.actions[0].title).toBe("Vorfall ansehen");
    expect(card.body.at(-1).text).toMatch(/ · \d{1,2}\. [A-Z][a-zä]+\.? \d{4}, \d\d:\d\d /);
    // Machine format: Statuspage's field names and English values, whatever the subscriber's language.
    const candor = receiver.at("/candor-de")[0].json as Record<string, any>;
    expect(candor.data.incident).toMatchObject({ status: "investigating", impact: "major" });
    expect(JSON.stringify(candor)).not.toMatch(/Untersuchung|Auswirkung/);
    expect((await listChannelSubscribers(h.db, viewer)).map((s) => s.locale).sort()).toEqual(["ar", "de", "de", "de"]);
  });

  it("the Statuspage format is Statuspage's envelope, field by field", async () => {
    await subscribeEach();
    const { incident, update } = await declareIncident(h.db, systemActor, {
      name: "Database failover",
      severity: "SEV-1",
      body: "Failing over.",
      components: [{ id: api, status: "major_outage" }],
    });
    await drain();
    const body = receiver.at("/statuspage")[0].json as Record<string, any>;
    expect(Object.keys(body).sort()).toEqual(["incident", "meta", "page"]);
    expect(Object.keys(body.meta).sort()).toEqual(["documentation", "generated_at", "unsubscribe"]);
    expect(body.meta.generated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const page = await h.db.selectFrom("page").select("id").executeTakeFirstOrThrow();
    expect(body.page).toEqual({ id: page.id, status_indicator: "major", status_description: "Partial System Outage" });
    const i = body.incident;
    expect(Object.keys(i).sort()).toEqual(
      [
        "components",
        "created_at",
        "id",
        "impact",
        "incident_updates",
        "monitoring_at",
        "name",
        "page_id",
        "reminder_intervals",
        "resolved_at",
        "shortlink",
        "started_at",
        "status",
        "updated_at",
      ].sort(),
    );
    expect(i).toMatchObject({ id: incident.id, name: "Database failover", status: "investigating", impact: "critical", page_id: page.id, resolved_at: null });
    expect(i.incident_updates).toHaveLength(1);
    expect(i.incident_updates[0]).toMatchObject({
      id: update.id,
      status: "investigating",
      body: "Failing over.",
      incident_id: incident.id,
      affected_components: [{ code: api, name: "API", old_status: "operational", new_status: "major_outage" }],
    });
    expect(i.components).toHaveLength(1);
    expect(i.components[0]).toMatchObject({ id: api, name: "API", status: "major_outage", page_id: page.id, group_id: null, group: false });
  }, 30_000);

  it("a component status change sends component + component_update to those who chose component events", async () => {
    await seedChannelSubscribers(h.db, [
      { url: `${receiver.url}/sp-components`, channel: "webhook", format: "statuspage", events: ["component"], secret: SECRET },
      { url: `${receiver.url}/candor-components`, channel: "webhook", format: "candor", events: ["component"], components: [api], secret: SECRET },
      { url: `${receiver.url}/incidents-only`, channel: "webhook", secret: SECRET },
      { url: `${receiver.url}/web-components`, channel: "slack", events: ["component"], components: [web], secret: SECRET },
    ]);
    await changeComponentStatus(h.db, systemActor, { componentId: api, status: "degraded_performance" });
    await drain();
    expect(receiver.at("/incidents-only")).toHaveLength(0);
    expect(receiver.at("/web-components")).toHaveLength(0);
    const sp = receiver.at("/sp-components")[0].json as Record<string, any>;
    expect(Object.keys(sp).sort()).toEqual(["component", "component_update", "meta", "page"]);
    expect(Object.keys(sp.component).sort()).toEqual(
      expect.arrayContaining(["status", "name", "created_at", "updated_at", "position", "description", "showcase", "id", "page_id", "group_id"]),
    );
    expect(sp.component).toMatchObject({ id: api, name: "API", status: "degraded_performance" });
    expect(sp.component_update).toMatchObject({ old_status: "operational", new_status: "degraded_performance", component_type: "Component", component_id: api });
    expect(sp.component_update.id).toEqual(expect.any(String));
    const candor = receiver.at("/candor-components")[0].json as Record<string, any>;
    expect(candor).toMatchObject({ type: "component.update", data: { component: { id: api }, old_status: "operational", new_status: "degraded_performance" } });
    expect(receiver.at("/candor-components")[0].headers["candor-event-id"]).toMatch(/^k:\d+:/);
  }, 30_000);

  it("webhooks get every update in order; chat gets the newest, older queued ones superseded", async () => {
    await seedChannelSubscribers(h.db, [
      { url: `${receiver.url}/log`, channel: "webhook", secret: SECRET },
      { url: `${receiver.url}/chat`, channel: "slack", secret: SECRET },
    ]);
    const { incident } = await declareIncident(h.db, systemActor, { name: "Slow API", severity: "SEV-3", body: "One.", components: [{ id: api, status: "degraded_performance" }] });
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "identified", body: "Two." });
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Three.", components: [{ id: api, status: "operational" }] });
    await drain();
    const log = receiver.at("/log").map((r) => (r.json as any).data.incident.incident_updates.find((u: any) => u.id === (r.json as any).data.update_id).body);
    expect(log).toEqual(["One.", "Two.", "Three."]);
    const chat = receiver.at("/chat").map((r) => (r.json as any).attachments[0].blocks[2].text.text);
    expect(chat).toEqual(["Three."]);
  }, 30_000);

  it("retries 5xx, 429 (Retry-After, Discord's retry_after) and timeouts; a redirect fails and is not followed", async () => {
    process.env.CHANNEL_TIMEOUT_MS = "1000";
    receiver.on("/flaky", (_r, res, n) => void (n < 3 ? res.writeHead(503).end("busy") : res.writeHead(200).end("ok")));
    receiver.on("/limited", (_r, res, n) => void (n === 1 ? res.writeHead(429, { "retry-after": "1" }).end() : res.writeHead(204).end()));
    receiver.on("/discord-limited", (_r, res, n) =>
      void (n === 1 ? res.writeHead(429, { "content-type": "application/json" }).end(JSON.stringify({ retry_after: 0.5, global: false })) : res.writeHead(200).end("{}")),
    );
    receiver.on("/slow", (_r, res, n) => void setTimeout(() => res.writeHead(200).end("ok"), n === 1 ? 1_500 : 0));
    receiver.on("/redirect", (_r, res) => void res.writeHead(302, { location: `${receiver.url}/internal` }).end());
    await seedChannelSubscribers(h.db, ["/flaky", "/limited", "/slow", "/redirect"].map((p) => ({ url: `${receiver.url}${p}`, channel: "webhook" as const })));
    await seedChannelSubscribers(h.db, [{ url: `${receiver.url}/discord-limited`, channel: "discord" }]);
    await declareIncident(h.db, systemActor, { name: "Errors", severity: "SEV-3", body: "Looking.", components: [{ id: api, status: "partial_outage" }] });
    await drain();
    // At least: PGlite runs in this process and can hold the event loop past the 1 s deadline, which
    // retries a request the receiver already had (same event id) — the at-least-once the event id is for.
    expect(receiver.at("/flaky").length).toBeGreaterThanOrEqual(3);
    const limited = receiver.at("/limited");
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(limited[1].at - limited[0].at).toBeGreaterThanOrEqual(900);
    const discord = receiver.at("/discord-limited");
    expect(discord.length).toBeGreaterThanOrEqual(2);
    expect(discord[1].at - discord[0].at).toBeGreaterThanOrEqual(400);
    expect(receiver.at("/slow").length).toBeGreaterThanOrEqual(2);
    expect(receiver.at("/redirect").length).toBeGreaterThanOrEqual(1);
    expect(receiver.at("/internal")).toHaveLength(0);
    const rows = await h.db.selectFrom("deliveries").select(["status", "last_error", "attempts"]).where("channel", "<>", "email").execute();
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(4);
    const failed = rows.filter((r) => r.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0].last_error).toMatch(/^HTTP 302.*redirects are not followed/);
    // Event ids are stable across retries: the receiver can drop a repeat.
    const ids = receiver.at("/flaky").map((r) => r.headers["candor-event-id"]);
    expect(new Set(ids).size).toBe(1);
  }, 30_000);

  it("quarantines after repeated failures, tells the contact once, and the admin re-enables it", async () => {
    process.env.CHANNEL_QUARANTINE_AFTER = "3";
    process.env.DELIVERY_MAX_ATTEMPTS = "2";
    receiver.on("/down", (_r, res) => void res.writeHead(500, { "content-type": "text/plain" }).end("upstream exploded\n\tstack..."));
    const [id] = await seedChannelSubscribers(h.db, [{ url: `${receiver.url}/down`, channel: "webhook", contactEmail: "ops@example.com" }]);
    const { incident } = await declareIncident(h.db, systemActor, { name: "A", severity: "SEV-3", body: "1", components: [{ id: api, status: "partial_outage" }] });
    await drain();
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "identified", body: "2" });
    await drain();
    // Quarantined: later updates are not even queued for it.
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "monitoring", body: "3" });
    await drain();
    expect(receiver.at("/down")).toHaveLength(3);
    const [row] = await listChannelSubscribers(h.db, viewer, { status: "quarantined" });
    expect(row).toMatchObject({ id, status: "quarantined", host: new URL(receiver.url).host, channel: "webhook", failures: 3 });
    expect(row.last_error).toMatch(/^HTTP 500/);
    expect(row.last_response).toBe("upstream exploded stack...");
    expect(row).not.toHaveProperty("url");
    expect(row).not.toHaveProperty("secret");
    const notices = await h.db.selectFrom("outbox_emails").select(["recipient", "subject", "text"]).execute();
    expect(notices).toHaveLength(1);
    expect(notices[0].recipient).toBe("ops@example.com");
    expect(notices[0].text).not.toContain("/down");

    await expect(reenableChannelSubscriber(h.db, viewer, { id })).rejects.toMatchObject({ code: "forbidden" });
    await reenableChannelSubscriber(h.db, editor, { id });
    receiver.on("/down", (_r, res) => void res.writeHead(200).end("ok"));
    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "4" });
    await drain();
    expect(receiver.at("/down")).toHaveLength(4);
    expect((await listChannelSubscribers(h.db, viewer))[0]).toMatchObject({ status: "active", failures: 0 });
  }, 30_000);

  it("Slack's 404 no_service quarantines at once", async () => {
    receiver.on("/gone", (_r, res) => void res.writeHead(404, { "content-type": "text/plain" }).end("no_service"));
    await seedChannelSubscribers(h.db, [{ url: `${receiver.url}/gone`, channel: "slack" }]);
    await declareIncident(h.db, systemActor, { name: "A", severity: "SEV-3", body: "1", components: [{ id: api, status: "partial_outage" }] });
    await drain();
    expect(receiver.at("/gone")).toHaveLength(1);
    expect((await listChannelSubscribers(h.db, viewer))[0]).toMatchObject({ status: "quarantined", failures: 1 });
  }, 30_000);

  it("admin: editors add one (kind from the host, secret shown once), viewers cannot; Send test shows the answer", async () => {
    await expect(createChannelSubscriber(h.db, viewer, { url: `${receiver.url}/x` })).rejects.toMatchObject({ code: "forbidden" });
    for (const url of ["ftp://example.com/x", "not a url", "", "https://user:pw@example.com/x", `https://example.com/${"x".repeat(2100)}`, 42]) {
      await expect(createChannelSubscriber(h.db, editor, { url }), String(url).slice(0, 40)).rejects.toMatchObject({ code: "invalid_input", issues: [{ field: "url" }] });
    }
    await expect(createChannelSubscriber(h.db, editor, { url: "https://example.com/x", contactEmail: "nope" })).rejects.toMatchObject({ code: "invalid_input" });
    await expect(createChannelSubscriber(h.db, editor, { url: `${receiver.url}/x`, events: [] })).rejects.toMatchObject({ code: "invalid_input" });
    const slack = await createChannelSubscriber(h.db, editor, { url: "https://hooks.slack.com/services/T0/B0/secretpart", events: "incident,component" });
    expect(slack).toMatchObject({ channel: "slack", host: "hooks.slack.com" });
    expect(slack.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const teams = await createChannelSubscriber(h.db, editor, { url: "https://prod-1.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x" });
    expect(teams.channel).toBe("teams");
    const discord = await createChannelSubscriber(h.db, editor, { url: "https://discord.com/api/webhooks/1/token" });
    expect(discord.channel).toBe("discord");
    const hook = await createChannelSubscriber(h.db, editor, { url: `${receiver.url}/test-me`, format: "statuspage", components: [api], contactEmail: "Ops@Example.com" });
    expect(hook.channel).toBe("webhook");
    const listed = await listChannelSubscribers(h.db, viewer);
    expect(listed).toHaveLength(4);
    expect(JSON.stringify(listed)).not.toContain("secretpart");
    expect(JSON.stringify(listed)).not.toContain(slack.secret);
    expect(listed.find((l) => l.id === hook.id)).toMatchObject({ components: [api], all_components: false, contact_email: "ops@example.com", format: "statuspage" });
    const audit = await h.db.selectFrom("audit_entries").select(["after"]).where("action", "=", "subscriber.channel.create").execute();
    expect(JSON.stringify(audit)).not.toContain("secretpart");

    receiver.on("/test-me", (_r, res) => void res.writeHead(202, { "content-type": "text/plain" }).end("accepted by the test receiver"));
    await expect(sendTestMessage(h.db, viewer, { id: hook.id })).rejects.toMatchObject({ code: "forbidden" });
    const answer = await sendTestMessage(h.db, editor, { id: hook.id });
    expect(answer).toEqual({ ok: true, status: 202, excerpt: "accepted by the test receiver" });
    const test = receiver.at("/test-me")[0];
    expect(verify(test, (await h.db.selectFrom("subscriber_endpoints").select("secret").where("subscriber_id", "=", hook.id).executeTakeFirstOrThrow()).secret)).toBe(true);
    expect(Object.keys(test.json as object).sort()).toEqual(["meta", "page"]);
  }, 30_000);

  it("a public sign-up hears nothing but a verification link until someone follows it", async () => {
    await expect(subscribeChannel(h.db, { url: "not a url" }, { ip: "203.0.113.5" })).rejects.toMatchObject({ code: "invalid_input" });
    await subscribeChannel(h.db, { url: `${receiver.url}/public-hook` }, { ip: "203.0.113.5" });
    // Accepted, but the verification to a private address is refused at connect time and never sent.
    await subscribeChannel(h.db, { url: "https://10.9.8.7/hook" }, { ip: "203.0.113.5" });
    const { incident } = await declareIncident(h.db, systemActor, { name: "Before", severity: "SEV-3", body: "Not for pending ones.", components: [{ id: api, status: "partial_outage" }] });
    await drain();
    const got = receiver.at("/public-hook");
    expect(got).toHaveLength(1);
    expect(verify(got[0], (await h.db.selectFrom("subscriber_endpoints").select("secret").where("host", "=", new URL(receiver.url).host).executeTakeFirstOrThrow()).secret)).toBe(true);
    const body = got[0].json as Record<string, any>;
    expect(body).toMatchObject({ version: "1", type: "verification", data: { verify_url: expect.stringMatching(/^https:\/\/status\.example\.com\/confirm\/[A-Za-z0-9_.-]+$/) } });
    expect(got[0].headers["candor-event-id"]).toMatch(/^c:/);
    const token = body.data.verify_url.split("/").at(-1);
    expect(await confirmationFor(h.db, token)).toEqual({ endpoint: `Webhook on ${new URL(receiver.url).host}` });
    expect(await confirmSubscription(h.db, token)).toEqual({ manageToken: null });
    const refused = await h.db.selectFrom("deliveries").select(["status", "last_error"]).where("kind", "=", "confirmation").where("status", "=", "failed").execute();
    expect(refused).toHaveLength(1);
    expect(refused[0].last_error).toMatch(/^refused: 10\.9\.8\.7/);

    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "After.", components: [{ id: api, status: "operational" }] });
    await drain();
    expect(receiver.at("/public-hook").map((r) => (r.json as any).type)).toEqual(["verification", "incident.update"]);
    // Throttled per IP like the email form (10 an hour).
    for (let i = 0; i < 8; i++) await subscribeChannel(h.db, { url: `${receiver.url}/p${i}` }, { ip: "203.0.113.5" });
    await expect(subscribeChannel(h.db, { url: `${receiver.url}/one-too-many` }, { ip: "203.0.113.5" })).rejects.toMatchObject({ code: "rate_limited" });
  }, 60_000);

  it("long updates are cut to each platform's limits with a link, never refused", async () => {
    await subscribeEach();
    const long = `${"Lorem ipsum <dolor> & sit amet. ".repeat(400)}END`;
    const { incident } = await declareIncident(h.db, systemActor, { name: "N".repeat(255), severity: "SEV-2", body: long, components: [{ id: api, status: "partial_outage" }] });
    await drain();
    const link = `https://status.example.com/incidents/${incident.id}`;
    const slack = receiver.at("/slack")[0].json as any;
    expect(slack.attachments[0].blocks[0].text.text.length).toBeLessThanOrEqual(150);
    for (const b of slack.attachments[0].blocks) if (b.text?.type === "mrkdwn") expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(slack.text).toContain(link);
    const discord = receiver.at("/discord")[0].json as any;
    const e = discord.embeds[0];
    const total = e.title.length + e.description.length + e.footer.text.length + e.fields.reduce((n: number, f: any) => n + f.name.length + f.value.length, 0);
    expect(e.title.length).toBeLessThanOrEqual(256);
    expect(e.description.length).toBeLessThanOrEqual(4096);
    expect(total).toBeLessThanOrEqual(6000);
    expect(e.description).toContain(`[Read more](${link})`);
    const teams = receiver.at("/teams")[0];
    expect(Buffer.byteLength(teams.raw)).toBeLessThan(28 * 1024);
    expect((teams.json as any).attachments[0].content.actions[0].url).toBe(link);
  }, 30_000);
});

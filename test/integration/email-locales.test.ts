/*
 * Subscribers read their emails in the language they chose, end to end:
 * the domain's subscribe path, the confirmation, an incident update and a
 * language change on the manage path, through the real Resend SDK to the
 * Resend-compatible test server, on both engines; a batch mixes languages.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { resendMailer } from "#lib/delivery/mailer.ts";
import { updateMailSettings } from "#lib/delivery/mail-settings.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { confirmSubscription, subscribe, subscriptionFor, updateSubscription } from "#lib/domain/subscribers/subscriptions.ts";
import { addSubscriber } from "#lib/domain/subscribers/admin.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { importSubscribersCsv } from "#lib/domain/subscribers/csv.ts";
import { drainDeliveries } from "../support/deliveries.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { ResendTestServer } from "../support/resend-server.ts";
import { seedActiveSubscribers } from "../support/subscribers.ts";

const API_KEY = "re_test_email_locales";

const saved = { ...process.env };
beforeEach(() => {
  process.env.RESEND_RATE_LIMIT = "100";
  process.env.DELIVERY_BACKOFF_MS = "20";
  process.env.PUBLIC_URL = "https://status.example.com";
});
afterEach(() => {
  process.env = { ...saved };
});

describe.each(engines)("emails in the subscriber's language on %s", (engine) => {
  let h: DbHandle;
  let server: ResendTestServer;
  let api: string;

  beforeAll(async () => {
    server = new ResendTestServer({ apiKey: API_KEY, rate: 100 });
    await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    server.clear();
    process.env.RESEND_BASE_URL = server.url;
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
  });
  afterEach(() => h.close());

  const send = () => drainDeliveries({ db: h.db, mailer: resendMailer(API_KEY) });

  it("subscribes in German, confirms, and receives German updates; a change on the manage path changes the next email", async () => {
    const address = "leser@example.com";
    await subscribe(h.db, { email: address, locale: "de" });
    await send();

    const [confirmation] = server.inbox(address);
    expect(confirmation.subject).toBe("[Candor] Bestätigen Sie Ihr Abonnement");
    expect(confirmation.html).toContain('<html dir="ltr" lang="de">');
    expect(confirmation.text).toContain("Folgen Sie diesem Link");
    const confirmToken = /\/confirm\/(\S+)/.exec(confirmation.text!)![1];
    const { manageToken } = await confirmSubscription(h.db, confirmToken);
    expect(await subscriptionFor(h.db, manageToken!)).toMatchObject({ status: "active", locale: "de" });

    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Langsame API",
      severity: "SEV-2",
      body: "Wir untersuchen erhöhte Antwortzeiten.",
      components: [{ id: api, status: "degraded_performance" }],
    });
    await send();
    const update = server.inbox(address)[1];
    expect(update.subject).toBe("[Candor] Untersuchung: Langsame API");
    expect(update.html).toContain('lang="de"');
    expect(update.html).toContain("Erhebliche Auswirkung");
    expect(update.html).toContain("Nächstes Update bis <time dateTime=");
    expect(update.text).toContain("API: Eingeschränkte Leistung");
    expect(update.text).toMatch(/\nAbbestellen: https?:\/\/\S+\/unsubscribe\//);
    expect(update.attachments.map((a) => a.filename)).toEqual([`${incident.reference}-timeline.txt`]);
    expect(update.attachments[0].content).toContain("1 Update, das neueste zuerst.");

    // The manage page's form: the same link, the language changed.
    const manage = /^Abonnement verwalten: \S+\/manage\/(\S+)$/m.exec(update.text!)![1];
    await updateSubscription(h.db, manage, { components: [], locale: "ar" });
    expect(await subscriptionFor(h.db, manage)).toMatchObject({ locale: "ar" });

    await postUpdate(h.db, systemActor, { incidentId: incident.id, status: "resolved", body: "Behoben.", components: [{ id: api, status: "operational" }] });
    await send();
    const resolved = server.inbox(address)[2];
    expect(server.inbox(address)).toHaveLength(3);
    expect(resolved.subject).toBe("[Candor] تم الحل: Langsame API");
    expect(resolved.html).toContain('<html dir="rtl" lang="ar">');
    // Resolved: no next update is promised.
    expect(resolved.html).not.toContain("التحديث التالي");
  });

  it("a subscriber who names no language gets the page's default locale", async () => {
    await subscribe(h.db, { email: "default@example.com" });
    await send();
    expect(server.inbox("default@example.com")[0].subject).toBe("[Candor] Confirm your subscription");
  });

  it("the page's default locale applies where no language is named: the form, an editor's add, a CSV import", async () => {
    await getPage(h.db);
    await h.db.updateTable("page").set({ default_locale: "de" }).execute();
    await subscribe(h.db, { email: "form@example.com" });
    await addSubscriber(h.db, systemActor, { email: "added@example.com", locale: "fr" });
    await addSubscriber(h.db, systemActor, { email: "added-default@example.com" });
    const report = await importSubscribersCsv(h.db, systemActor, {
      csv: "email,consented,locale\nja@example.com,yes,ja\nplain@example.com,yes,\nbad@example.com,yes,xx\n",
    });
    expect(report.rejected).toEqual([{ line: 4, email: "bad@example.com", reason: "unknown locale: xx" }]);
    const rows = await h.db.selectFrom("subscribers").select(["email", "locale"]).orderBy("email").execute();
    expect(Object.fromEntries(rows.map((r) => [r.email, r.locale]))).toEqual({
      "added-default@example.com": "de",
      "added@example.com": "fr",
      "form@example.com": "de",
      "ja@example.com": "ja",
      "plain@example.com": "de",
    });
    await send();
    expect(server.inbox("added@example.com")[0].subject).toBe("[Candor] Confirmez votre abonnement");
    expect(server.inbox("form@example.com")[0].subject).toBe("[Candor] Bestätigen Sie Ihr Abonnement");
  });

  it("refuses a language Candor does not speak, naming the field, and changes nothing", async () => {
    await expect(subscribe(h.db, { email: "x@example.com", locale: "tlh" })).rejects.toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ field: "locale" })] });
    expect(await h.db.selectFrom("subscribers").select("id").execute()).toEqual([]);
  });

  it("a batch mixes languages: each email in its subscriber's", async () => {
    await updateMailSettings(h.db, systemActor, { mode: "batch", targetSeconds: 120 });
    await seedActiveSubscribers(h.db, [{ email: "en@example.com" }, { email: "de@example.com" }, { email: "ja@example.com" }]);
    await h.db.updateTable("subscribers").set({ locale: "de" }).where("email", "=", "de@example.com").execute();
    await h.db.updateTable("subscribers").set({ locale: "ja" }).where("email", "=", "ja@example.com").execute();
    await declareIncident(h.db, systemActor, { name: "Queue backlog", severity: "SEV-3", body: "Jobs are delayed.", components: [{ id: api, status: "partial_outage" }] });
    await send();
    expect(server.emails.map((e) => [e.to[0], e.via]).sort()).toEqual([
      ["de@example.com", "batch"],
      ["en@example.com", "batch"],
      ["ja@example.com", "batch"],
    ]);
    expect(server.inbox("en@example.com")[0].subject).toBe("[Candor] Investigating: Queue backlog");
    expect(server.inbox("de@example.com")[0].subject).toBe("[Candor] Untersuchung: Queue backlog");
    expect(server.inbox("ja@example.com")[0].subject).toMatch(/^\[Candor\] .+: Queue backlog$/);
    expect(server.inbox("ja@example.com")[0].html).toContain('lang="ja"');
  });
});

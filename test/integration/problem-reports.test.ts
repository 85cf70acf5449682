/*
 * Problem reports on both engines: what is stored, what is refused (and
 * then nothing is stored), the honeypot, the per-IP and per-component
 * limits under a burst, reports off, and the admin's grouped inbox. Then
 * the form itself on the production server (the build in NEXT_DIST_DIR),
 * posted as a browser without JavaScript posts it.
 */
import { createHmac } from "node:crypto";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { updatePageSettings, getPage } from "#lib/domain/page-settings.ts";
import { HONEYPOT_FIELD, listReportGroups, REPORT_LIMITS, submitReport } from "#lib/domain/problem-reports.ts";
import { alertOnSpike, REPORT_SPIKE } from "#lib/domain/report-alerts.ts";
import { createChannelSubscriber } from "#lib/domain/subscribers/channels.ts";
import { engines, freshDatabase, freshDatabaseUrl } from "../support/databases.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";
import { Receiver } from "../support/receiver.ts";

const viewer: Actor = { id: "v", name: "viewer@example.com", source: "session", role: "viewer" };

describe.each(engines)("problem reports on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let web: string;

  beforeEach(async () => {
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
    const page = await getPage(h.db);
    await updatePageSettings(h.db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone, reportsEnabled: true });
  });
  afterEach(() => h.close());

  const reports = () => h.db.selectFrom("problem_reports").selectAll().orderBy("created_at").execute();
  const attempts = () => h.db.selectFrom("report_attempts").selectAll().execute();

  it("stores a valid report, cleaned; a blank component is the whole service", async () => {
    expect(await submitReport(h.db, { component: api, description: "  Checkout fails with a 502 \r\nsince noon  ", email: " Ann@Example.COM " }, { ip: "10.0.0.1" })).toEqual({
      ok: true,
    });
    await submitReport(h.db, { component: "", description: "Everything is slow for me", email: "" }, { ip: "10.0.0.2" });
    const rows = await reports();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ component_id: api, description: "Checkout fails with a 502 \nsince noon", email: "ann@example.com" });
    expect(rows[0].id).toMatch(/^[a-z0-9]{12}$/);
    expect(rows[1]).toMatchObject({ component_id: null, email: null });
  });

  it("bad input names the field and stores nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ component: api, description: "too short" }, "description"],
      [{ component: api, description: "x".repeat(2001) }, "description"],
      [{ component: api, description: "A real problem \u202e here" }, "description"],
      [{ component: api, description: "A real problem here", email: "not-an-address" }, "email"],
      [{ component: "nonexistent!", description: "A real problem here" }, "component"],
      [{ component: "abcdefghijkl", description: "A real problem here" }, "component"],
    ];
    for (const [input, field] of cases) {
      const error = await submitReport(h.db, input, { ip: "10.0.0.1" }).catch((e: unknown) => e);
      expect(error, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ field })] });
    }
    expect(await reports()).toEqual([]);
    expect(await attempts()).toEqual([]);
  });

  it("says what is wrong in the reporter's locale, else the page's, naming the field", async () => {
    const refused = (locale?: "de" | "ar") => submitReport(h.db, { component: api, description: "short", email: "nope" }, { ip: "10.0.0.1", locale }).catch((e: unknown) => e);
    expect(await refused("de")).toMatchObject({
      code: "invalid_input",
      issues: [
        { field: "description", message: "Was sehen Sie: bitte 10 bis 2000 Zeichen reiner Text." },
        { field: "email", message: "E-Mail: Geben Sie eine E-Mail-Adresse ein oder lassen Sie das Feld leer." },
      ],
    });
    expect(await refused("ar")).toMatchObject({ issues: [{ field: "description", message: expect.stringContaining("ماذا ترى") }, { field: "email" }] });
    expect(await refused()).toMatchObject({ issues: [{ field: "description", message: "What do you see: 10 to 2000 characters of plain text, please." }, { field: "email" }] });
    await h.db.updateTable("page").set({ default_locale: "de" }).execute();
    expect(await refused()).toMatchObject({ issues: [{ field: "description", message: expect.stringContaining("Was sehen Sie") }, { field: "email" }] });
    const unknown = await submitReport(h.db, { component: "abcdefghijkl", description: "A real problem here" }, { ip: "10.0.0.1", locale: "de" }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ issues: [{ field: "component", message: "Welcher Teil des Dienstes: Wählen Sie einen Eintrag aus der Liste oder „Nicht sicher“." }] });
    expect(await reports()).toEqual([]);
  });

  it("a filled honeypot is answered as success and stores nothing", async () => {
    expect(await submitReport(h.db, { component: api, description: "Buy cheap things at my shop", [HONEYPOT_FIELD]: "https://spam.test" }, { ip: "10.0.0.1" })).toEqual({
      ok: true,
    });
    expect(await reports()).toEqual([]);
    expect(await attempts()).toEqual([]);
  });

  it("a burst of 20 from one IPv6 /64: the first 5 are stored, the rest refused as rate_limited and not stored", async () => {
    expect(REPORT_LIMITS.ip.max).toBe(5);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        submitReport(h.db, { component: i % 2 ? api : web, description: `The page shows an error #${i}` }, { ip: `2001:db8:1:2::${i.toString(16)}` }),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "rate_limited" });
    expect(await reports()).toHaveLength(5);
    // Another client is not limited by them.
    await submitReport(h.db, { component: api, description: "Same here, from elsewhere" }, { ip: "2001:db8:9::1" });
    expect(await reports()).toHaveLength(6);
  });

  it("past the per-component flood limit, reports are dropped silently", async () => {
    const max = REPORT_LIMITS.component.max;
    await sql`insert into report_attempts (scope, value) select 'component', ${api} from generate_series(1, ${max})`.execute(h.db);
    expect(await submitReport(h.db, { component: api, description: "API is down for me" }, { ip: "10.0.0.1" })).toEqual({ ok: true });
    expect(await reports()).toEqual([]);
    await submitReport(h.db, { component: web, description: "Web is down for me" }, { ip: "10.0.0.1" });
    expect((await reports()).map((r) => r.component_id)).toEqual([web]);
  });

  it("reports off: submitting is refused and nothing is stored", async () => {
    const page = await getPage(h.db);
    await updatePageSettings(h.db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone, reportsEnabled: false });
    await expect(submitReport(h.db, { component: api, description: "Is anyone there at all?" }, { ip: "10.0.0.1" })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await reports()).toEqual([]);
    expect(await attempts()).toEqual([]);
    // Other settings saves leave it as it is.
    await updatePageSettings(h.db, systemActor, { name: "Renamed", url: page.url, timeZone: page.time_zone });
    expect((await getPage(h.db)).reports_enabled).toBe(false);
  });

  it("the inbox groups per component and window, newest first, with counts and the latest texts", async () => {
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    const rows = [
      { component_id: api, description: "API old one", created_at: at(600) },
      { component_id: api, description: "API first one", created_at: at(3) },
      { component_id: api, description: "API second one", created_at: at(2) },
      { component_id: api, description: "<script>alert(1)</script> third", created_at: at(1) },
      { component_id: null, description: "Whole thing slow", created_at: at(2) },
    ];
    await h.db
      .insertInto("problem_reports")
      .values(rows.map((r, i) => ({ ...r, id: `report${String(i).padStart(6, "0")}`, email: i === 1 ? "a@example.com" : null })))
      .execute();
    // Windows aligned to the clock: pick one long enough that "3 minutes ago" and "now" share it unless a boundary falls between.
    const groups = await listReportGroups(h.db, viewer, { windowMinutes: 60 });
    const recentApi = groups.filter((g) => g.componentId === api && g.latestAt > at(60));
    expect(recentApi.reduce((n, g) => n + g.count, 0)).toBe(3);
    const newestApi = recentApi[0];
    expect(newestApi.componentName).toBe("API");
    expect(newestApi.latest[0].description).toBe("<script>alert(1)</script> third");
    expect(groups.find((g) => g.componentId === null)).toMatchObject({ componentName: null, count: 1, latest: [{ description: "Whole thing slow" }] });
    expect(groups.at(-1)).toMatchObject({ componentId: api, count: 1, latest: [{ description: "API old one" }] });
    for (let i = 1; i < groups.length; i++) expect(groups[i - 1].windowStart.getTime()).toBeGreaterThanOrEqual(groups[i].windowStart.getTime());
    // A window per day: the day's API reports (unless midnight fell in between) together, at most 3 texts shown.
    const daily = await listReportGroups(h.db, viewer, { windowMinutes: 1440 });
    const apiTotal = daily.filter((g) => g.componentId === api).reduce((n, g) => n + g.count, 0);
    expect(apiTotal).toBe(4);
    for (const g of daily) expect(g.latest.length).toBeLessThanOrEqual(3);
    await expect(listReportGroups(h.db, viewer, { windowMinutes: 0 })).rejects.toMatchObject({ code: "invalid_input" });
    // A reporter's address is for whoever may answer them: editors and owners, not viewers.
    const emails = (list: typeof groups) => list.flatMap((g) => g.latest.map((r) => r.email)).filter((e) => e !== null);
    expect(emails(groups)).toEqual([]);
    expect(groups.reduce((n, g) => n + g.withEmail, 0)).toBe(1);
    expect(emails(await listReportGroups(h.db, { ...viewer, role: "editor" }, { windowMinutes: 60 }))).toEqual(["a@example.com"]);
  });
});

/*
 * The spike alert: reports are stored through the form's own path, then
 * moved to a fixed instant so the window they fall in does not depend on
 * when the test runs.
 */
describe.each(engines)("report spike alerts on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let nextIp = 0;
  const T = new Date("2026-03-02T10:02:00Z");
  const minutes = (n: number) => n * 60_000;

  beforeEach(async () => {
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    const page = await getPage(h.db);
    await updatePageSettings(h.db, systemActor, { name: page.name, url: "https://status.example.com", timeZone: page.time_zone, reportsEnabled: true });
    await sql`insert into users (id, name, email, "emailVerified", role, banned) values
      ('uowner', 'o', 'owner@example.com', true, 'owner', null),
      ('ueditor', 'e', 'editor@example.com', true, 'editor', false),
      ('uviewer', 'v', 'viewer@example.com', true, 'viewer', false),
      ('ugone', 'g', 'gone.editor@example.com', true, 'editor', true)`.execute(h.db);
  });
  afterEach(() => h.close());

  /** n stored reports for a component, placed at `at`. */
  async function reportsAt(at: Date, n: number, component: string | null, text = "Checkout fails for me") {
    for (let i = 0; i < n; i++) {
      await submitReport(h.db, { component: component ?? "", description: `${text} (${i})`, email: `reporter${i}@example.com` }, { ip: `10.7.${++nextIp}.1` });
    }
    await sql`update problem_reports set created_at = ${at} where created_at > now() - interval '5 minutes'`.execute(h.db);
  }
  const sent = () => h.db.selectFrom("outbox_emails").selectAll().orderBy("recipient").orderBy("created_at").execute();

  it("reads its settings: 5 reports in 10 minutes by default", () => {
    expect(REPORT_SPIKE).toEqual({ threshold: 5, windowMinutes: 10 });
  });

  it("below the threshold nothing is sent; refused and honeypot reports do not count", async () => {
    await reportsAt(T, REPORT_SPIKE.threshold - 1, api);
    // Refused (this client is past its limit) and honeypot posts store nothing, so they count for nothing.
    for (let i = 0; i < REPORT_LIMITS.ip.max; i++) await submitReport(h.db, { component: "", description: `Slow everywhere (${i})` }, { ip: "10.8.0.1" });
    await expect(submitReport(h.db, { component: api, description: "API is down for me too" }, { ip: "10.8.0.1" })).rejects.toMatchObject({ code: "rate_limited" });
    await submitReport(h.db, { component: api, description: "Buy cheap things at my shop", [HONEYPOT_FIELD]: "https://spam.test" }, { ip: "10.8.0.2" });
    expect(await alertOnSpike(h.db, api, T)).toBe(0);
    expect(await sent()).toEqual([]);
    expect(await h.db.selectFrom("report_alerts").selectAll().execute()).toEqual([]);
  });

  it("crossing it emails each active owner and editor once, with the count, the newest texts and the links; no more in that window", async () => {
    await reportsAt(T, REPORT_SPIKE.threshold - 1, api);
    await reportsAt(new Date(T.getTime() + minutes(1)), 1, api, "<b>Newest</b> & loudest");
    expect(await alertOnSpike(h.db, api, new Date(T.getTime() + minutes(1)))).toBe(2);
    const emails = await sent();
    expect(emails.map((e) => e.recipient)).toEqual(["editor@example.com", "owner@example.com"]);
    const [email] = emails;
    expect(email.subject).toContain(`${REPORT_SPIKE.threshold} problem reports for API`);
    expect(email.text).toContain("<b>Newest</b> & loudest (0)");
    expect(email.text).toContain("https://status.example.com/admin/reports");
    expect(email.text).toContain(`https://status.example.com/admin/incidents/new?component=${api}`);
    expect(email.html).toContain("&lt;b&gt;Newest&lt;/b&gt; &amp; loudest (0)");
    expect(email.html).not.toContain("<b>Newest");
    expect(email.html).toContain(`/admin/incidents/new?component=${api}`);
    // The reporters' addresses stay in the inbox.
    expect(JSON.stringify(emails)).not.toContain("reporter");
    expect(await h.db.selectFrom("report_alerts").select(["component_key", "window_start", "recipients"]).execute()).toEqual([
      { component_key: api, window_start: new Date("2026-03-02T10:00:00Z"), recipients: 2 },
    ]);

    await reportsAt(new Date(T.getTime() + minutes(2)), 3, api, "Still broken here");
    expect(await alertOnSpike(h.db, api, new Date(T.getTime() + minutes(2)))).toBe(0);
    expect(await sent()).toHaveLength(2);
  });

  it("posts to the team's channels that chose report spikes, once per window, signed; never to others", async () => {
    const saved = process.env.CHANNEL_ALLOW_LOOPBACK;
    process.env.CHANNEL_ALLOW_LOOPBACK = "true";
    const receiver = new Receiver();
    await receiver.start();
    try {
      const add = (path: string, extra: Record<string, unknown>) => createChannelSubscriber(h.db, systemActor, { url: `${receiver.url}${path}`, ...extra });
      await add("/slack", { channel: "slack", events: ["reports"] });
      const hook = await add("/hook", { format: "candor", events: ["incident", "reports"] });
      await add("/statuspage-format", { format: "statuspage", events: ["reports"] });
      await add("/incidents-only", { channel: "discord", events: ["incident"] });
      await reportsAt(T, REPORT_SPIKE.threshold, api, "Checkout fails");
      expect(await alertOnSpike(h.db, api, T)).toBe(2);
      expect(receiver.requests.map((r) => r.path).toSorted()).toEqual(["/hook", "/slack"]);
      const slack = JSON.parse(receiver.requests.find((r) => r.path === "/slack")!.raw) as { text: string };
      expect(slack.text).toContain(`${REPORT_SPIKE.threshold} problem reports for API`);
      const hookRequest = receiver.requests.find((r) => r.path === "/hook")!;
      const payload = JSON.parse(hookRequest.raw) as { type: string; data: { count: number; component: { id: string }; latest: { description: string }[]; declare_url: string } };
      expect(payload).toMatchObject({ type: "report.spike", data: { count: REPORT_SPIKE.threshold, component: { id: api } } });
      expect(payload.data.latest[0].description).toContain("Checkout fails");
      expect(payload.data.declare_url).toContain("reports=");
      // The signature verifies with node:crypto alone.
      const [t, v1] = String(hookRequest.headers["candor-signature"]).split(",").map((p) => p.split("=")[1]);
      expect(v1).toBe(createHmac("sha256", hook.secret).update(`${t}.${hookRequest.raw}`).digest("hex"));
      // The reporters' addresses never leave the inbox.
      expect(JSON.stringify(receiver.requests)).not.toContain("reporter");

      await reportsAt(new Date(T.getTime() + minutes(1)), 2, api);
      expect(await alertOnSpike(h.db, api, new Date(T.getTime() + minutes(1)))).toBe(0);
      expect(receiver.requests).toHaveLength(2);
    } finally {
      await receiver.stop();
      if (saved === undefined) delete process.env.CHANNEL_ALLOW_LOOPBACK;
      else process.env.CHANNEL_ALLOW_LOOPBACK = saved;
    }
  });

  it("two concurrent checks send once", async () => {
    await reportsAt(T, REPORT_SPIKE.threshold, api);
    const results = await Promise.all([alertOnSpike(h.db, api, T), alertOnSpike(h.db, api, T), alertOnSpike(h.db, api, T)]);
    expect(results.toSorted()).toEqual([0, 0, 2]);
    expect(await sent()).toHaveLength(2);
  });

  it("a later window alerts again; \"not sure\" is a component of its own", async () => {
    await reportsAt(T, REPORT_SPIKE.threshold, api);
    expect(await alertOnSpike(h.db, api, T)).toBe(2);
    const later = new Date(T.getTime() + minutes(REPORT_SPIKE.windowMinutes));
    // The next window starts empty: the earlier reports do not carry over.
    expect(await alertOnSpike(h.db, api, later)).toBe(0);
    await reportsAt(later, REPORT_SPIKE.threshold, api, "Broken again now");
    expect(await alertOnSpike(h.db, api, later)).toBe(2);
    await reportsAt(later, REPORT_SPIKE.threshold, null, "Everything is slow");
    expect(await alertOnSpike(h.db, null, later)).toBe(2);
    const emails = await sent();
    expect(emails).toHaveLength(6);
    const notSure = emails.filter((e) => e.subject.includes("not sure"));
    expect(notSure).toHaveLength(2);
    // Declaring from the alert ties the window's reports to the incident.
    expect(notSure[0].text).toContain(`https://status.example.com/admin/incidents/new?reports=none.${Math.floor(later.getTime() / minutes(REPORT_SPIKE.windowMinutes)) * REPORT_SPIKE.windowMinutes * 60}.${REPORT_SPIKE.windowMinutes}\n`);
    expect((await h.db.selectFrom("report_alerts").select("component_key").execute()).map((r) => r.component_key).toSorted()).toEqual([api, api, "none"].toSorted());
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)("the report form over HTTP, without JavaScript", () => {
  let server: NextServer;
  let h: DbHandle;
  let drop: () => Promise<void>;
  let api: string;

  beforeAll(async () => {
    const fresh = await freshDatabaseUrl();
    drop = fresh.drop;
    server = await startPreparedServer({
      postgresUrl: fresh.url,
      // A threshold of 1: the one stored report below is a spike, so the form's after() step can be seen.
      env: { CANDOR_WORKER: "off", REPORT_SPIKE_THRESHOLD: "1" },
      async prepare(db) {
        await sql`insert into users (id, name, email, "emailVerified", role) values ('uowner', 'o', 'owner@example.com', true, 'owner')`.execute(db);
        api = (await createComponent(db, systemActor, { name: "API" })).id;
        const page = await getPage(db);
        await updatePageSettings(db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone, reportsEnabled: true });
      },
    });
    h = await openDatabase({ url: fresh.url });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await h?.close();
    await drop?.();
  });

  const stored = () => h.db.selectFrom("problem_reports").selectAll().orderBy("created_at").execute();
  // The heading as rendered: the words alone are also in the form's props (the flight data), on every answer.
  const THANKS = "<h2>Thank you, we have your report</h2>";

  /** The form's hidden fields as a browser without JavaScript sends them (React's bound-action descriptor). */
  async function hiddenFields(path = "/report"): Promise<[string, string][]> {
    const html = await (await fetch(`${server.url}${path}`)).text();
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map(
      (m) => [m[1], (m[2] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&")] as [string, string],
    );
    expect(fields.some(([name]) => name.startsWith("$ACTION_")), `no form on /report: ${html.slice(0, 300)} ${server.output().slice(-1500)}`).toBe(true);
    return fields;
  }

  async function post(fields: Record<string, string>, path = "/report") {
    const body = new FormData();
    for (const [name, value] of await hiddenFields(path)) body.append(name, value);
    for (const [name, value] of Object.entries({ component: "", description: "", email: "", [HONEYPOT_FIELD]: "", ...fields })) body.append(name, value);
    const response = await fetch(`${server.url}${path}`, { method: "POST", body, redirect: "manual", headers: { origin: server.url }, signal: AbortSignal.timeout(30_000) });
    // The answer comes back in the URL; the page shows it.
    const location = response.headers.get("location") ?? "";
    expect(response.status, (await response.text()).slice(0, 300)).toBe(303);
    expect(location.startsWith(`${path}?result=`), location).toBe(true);
    const answer = await fetch(`${server.url}${location}`);
    return { location, status: answer.status, text: await answer.text() };
  }

  it("the page is linked from the status page, is not cached for a CDN, and lists the components", async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toContain('href="/report"');
    const page = await fetch(`${server.url}/report`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control") ?? "").not.toMatch(/s-maxage/);
    const html = await page.text();
    expect(html).toContain(`<option value="${api}">API</option>`);
    expect(html).toContain("Not sure / the whole service");
  });

  it("a valid post is stored and confirmed; bad input names the field and stores nothing; a honeypot hit stores nothing", async () => {
    const invalid = await post({ component: api, description: "short", email: "Reporter@Example.com" });
    expect(invalid.location).toBe("/report?result=invalid&fields=description");
    expect(invalid.status).toBe(200);
    expect(invalid.text).toContain("What do you see: 10 to 2000 characters of plain text, please.");
    // What was typed never goes into the URL.
    expect(invalid.location).not.toMatch(/short|reporter/i);
    expect(invalid.text).toMatch(/aria-describedby="report-description-error report-description-help"/);
    expect(await stored()).toEqual([]);

    const bot = await post({ component: api, description: "Great deals at my shop today", [HONEYPOT_FIELD]: "https://spam.test" });
    expect(bot.location).toBe("/report?result=sent");
    expect(bot.text).toContain(THANKS);
    expect(await stored()).toEqual([]);

    const sent = await post({ component: api, description: "Checkout fails with an error page", email: "Reporter@Example.com" });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain(THANKS);
    expect(await stored()).toMatchObject([{ component_id: api, description: "Checkout fails with an error page", email: "reporter@example.com" }]);
  }, 60_000);

  it("after answering, the form runs the spike check: the owner is emailed about the stored report", async () => {
    const alerts = () => h.db.selectFrom("outbox_emails").select(["recipient", "subject"]).execute();
    for (let i = 0; i < 100 && (await alerts()).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await alerts()).toEqual([{ recipient: "owner@example.com", subject: expect.stringContaining("1 problem report for API") }]);
  }, 30_000);

  it("in German (/de/report): the labels, and the errors naming the field in German", async () => {
    const page = await fetch(`${server.url}/de/report`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>Problem melden</title>");
    for (const words of ["Problem melden", "Welcher Teil des Dienstes?", "Nicht sicher / der ganze Dienst", "Was sehen Sie?", "E-Mail (optional)", "Meldung senden"]) {
      expect(html).toContain(words);
    }
    expect(html).toContain('<input type="hidden" name="locale" value="de"/>');
    const invalid = await post({ component: "nonexistent!", description: "kurz", email: "keine-adresse" }, "/de/report");
    expect(invalid.location).toBe("/de/report?result=invalid&fields=component,description,email");
    expect(invalid.text).toContain("Bitte korrigieren Sie die markierten Felder.");
    expect(invalid.text).toContain("Was sehen Sie: bitte 10 bis 2000 Zeichen reiner Text.");
    expect(invalid.text).toContain("E-Mail: Geben Sie eine E-Mail-Adresse ein oder lassen Sie das Feld leer.");
    expect(invalid.text).not.toContain("What do you see");
    const sent = await post({ description: "Die Anmeldung schlägt seit heute Morgen fehl" }, "/de/report");
    expect(sent.text).toContain("<h2>Vielen Dank, Ihre Meldung ist angekommen</h2>");
    expect(sent.text).toContain('<a href="/de">Zurück zur Statusseite</a>');
  }, 60_000);

  it("past five reports an hour from one client: refused as such, nothing more stored", async () => {
    const before = (await stored()).length;
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) answers.push((await post({ description: `The page is blank for me (${i})` })).text);
    const accepted = answers.filter((t) => t.includes(THANKS)).length;
    expect(before + accepted).toBe(5);
    expect(answers.at(-1)).toContain("Too many reports from your network");
    expect(answers.at(-1)).not.toContain(THANKS);
    expect(await stored()).toHaveLength(5);
  }, 60_000);

  it("reports off: /report is a 404 and a post of the form stores nothing", async () => {
    const fields = await hiddenFields();
    await h.db.updateTable("page").set({ reports_enabled: false }).execute();
    await h.db.deleteFrom("report_attempts").execute();
    const off = await fetch(`${server.url}/report`);
    expect(off.status).toBe(404);
    const count = (await stored()).length;
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, value);
    body.append("description", "Anyone there? It is all down");
    const response = await fetch(`${server.url}/report`, { method: "POST", body, redirect: "manual", headers: { origin: server.url } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/report?result=off");
    expect(await stored()).toHaveLength(count);
  }, 60_000);
});

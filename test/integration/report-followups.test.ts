/*
 * Reporters hearing back, on both engines: an incident declared from a
 * group of reports takes those reports; resolving it queues one email per
 * address, sent once through the real Resend SDK to the local
 * Resend-compatible server (retried with the same key after a failure,
 * never twice when senders race or the incident resolves again); the
 * opt-out link is signed and honoured. Then the report form's proof of
 * work: required when on, checked, spent once.
 */
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { resendMailer } from "#lib/delivery/mailer.ts";
import { followupIdempotencyKey, sendReportFollowups } from "#lib/delivery/report-followups.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { listReportGroups, submitReport } from "#lib/domain/problem-reports.ts";
import { translator } from "#lib/core/messages.ts";
import { CHALLENGE_FIELD, newReportChallenge } from "#lib/domain/report-challenges.ts";
import { optOutOfReportFollowups, optOutToken, reportGroupKey } from "#lib/domain/report-followups.ts";
import { engines, freshDatabase } from "../support/databases.ts";
import { ResendTestServer } from "../support/resend-server.ts";

const API_KEY = "re_test_followups";
const viewer: Actor = { id: "v", name: "viewer@example.com", source: "session", role: "viewer" };

describe.each(engines)("report follow-ups on %s", (engine) => {
  let h: DbHandle;
  let server: ResendTestServer;
  let api: string;
  let web: string;
  const mailer = () => resendMailer(API_KEY);

  beforeAll(async () => {
    server = new ResendTestServer({ apiKey: API_KEY, rate: 100 });
    process.env.RESEND_BASE_URL = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    server.clear();
    server.faults = {};
    process.env.RESEND_BASE_URL = server.url;
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API" })).id;
    web = (await createComponent(h.db, systemActor, { name: "Web" })).id;
    const page = await getPage(h.db);
    await updatePageSettings(h.db, systemActor, { name: "Acme", url: "https://status.acme.test", timeZone: page.time_zone, reportsEnabled: true });
  });
  afterEach(() => h.close());

  const report = (component: string, email: string | null, n: number) =>
    submitReport(h.db, { component, description: `Checkout fails for me, attempt ${n}`, email: email ?? "" }, { ip: `10.0.0.${n}` });
  const followups = () => h.db.selectFrom("report_followups").selectAll().orderBy("email").execute();

  /** Reports now, then an incident declared from the API's group, as the inbox's link does. */
  async function declaredFromReports(windowMinutes = 60) {
    await report(api, "ann@example.com", 1);
    await report(api, "bob@example.com", 2);
    await report(api, "Ann@Example.com", 3);
    await report(api, null, 4);
    await report(web, "carol@example.com", 5);
    const group = (await listReportGroups(h.db, viewer, { windowMinutes })).find((g) => g.componentId === api)!;
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Checkout errors",
      severity: "SEV-2",
      body: "We are looking into failed checkouts.",
      components: [{ id: api, status: "partial_outage" }],
      fromReports: reportGroupKey(group, windowMinutes),
    });
    return incident.id;
  }
  const resolve = (incidentId: string) =>
    postUpdate(h.db, systemActor, { incidentId, status: "resolved", body: "Fixed.", components: [{ id: api, status: "operational" }] });

  it("declaring from a group ties its reports to the incident; resolving emails each address once", async () => {
    const incidentId = await declaredFromReports();
    const linked = await h.db.selectFrom("problem_reports").select(["component_id", "email", "incident_id"]).orderBy("created_at").execute();
    expect(linked.map((r) => r.incident_id)).toEqual([incidentId, incidentId, incidentId, incidentId, null]);

    await postUpdate(h.db, systemActor, { incidentId, status: "monitoring", body: "A fix is out.", components: [] });
    expect(await followups()).toEqual([]);
    await resolve(incidentId);
    expect((await followups()).map((f) => [f.email, f.status])).toEqual([
      ["ann@example.com", "queued"],
      ["bob@example.com", "queued"],
    ]);

    expect(await sendReportFollowups(h.db, mailer())).toBe(2);
    expect(server.emails.map((e) => e.to[0]).sort()).toEqual(["ann@example.com", "bob@example.com"]);
    const ann = server.inbox("ann@example.com")[0];
    expect(ann.subject).toBe("[Acme] Resolved: Checkout errors");
    expect(ann.text).toContain("you reported a problem with API");
    expect(ann.text).toContain(`https://status.acme.test/incidents/${incidentId}`);
    const optOut = ann.text!.match(/https:\/\/status\.acme\.test\/report\/stop\/(\S+)/)![1];
    expect(ann.headers["List-Unsubscribe"]).toBe(`<https://status.acme.test/report/stop/${optOut}/one-click>`);
    expect(ann.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(ann.idempotencyKey).toBe(followupIdempotencyKey(incidentId, "ann@example.com"));
    expect((await followups()).map((f) => f.status)).toEqual(["sent", "sent"]);

    // Reopened and resolved again: nobody hears twice.
    await postUpdate(h.db, systemActor, { incidentId, status: "investigating", body: "It is back.", components: [] });
    await resolve(incidentId);
    expect(await sendReportFollowups(h.db, mailer())).toBe(0);
    expect(server.emails).toHaveLength(2);
  });

  it("a reporter hears back in the language they reported in, with links in it", async () => {
    await submitReport(h.db, { component: api, description: "Der Checkout schlägt fehl", email: "dora@example.com" }, { ip: "10.0.0.9", locale: "de" });
    await report(api, "ann@example.com", 1);
    expect((await h.db.selectFrom("problem_reports").select("locale").orderBy("created_at").execute()).map((r) => r.locale)).toEqual(["de", "en"]);
    const group = (await listReportGroups(h.db, viewer, { windowMinutes: 60 })).find((g) => g.componentId === api)!;
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "Checkout errors",
      severity: "SEV-2",
      body: "We are looking into failed checkouts.",
      components: [{ id: api, status: "partial_outage" }],
      fromReports: reportGroupKey(group, 60),
    });
    await resolve(incident.id);
    expect(await sendReportFollowups(h.db, mailer())).toBe(2);
    const dora = server.inbox("dora@example.com")[0];
    expect(dora.subject).toBe(translator("de", "email")("followup.subject", { page: "Acme", name: "Checkout errors" }));
    expect(dora.text).toContain(`https://status.acme.test/de/incidents/${incident.id}`);
    expect(dora.headers["List-Unsubscribe"]).toMatch(/^<https:\/\/status\.acme\.test\/de\/report\/stop\/\S+\/one-click>$/);
    expect(server.inbox("ann@example.com")[0].subject).toBe("[Acme] Resolved: Checkout errors");
  });

  it("a failed send is retried later with the same key; senders racing send once", async () => {
    const incidentId = await declaredFromReports();
    await resolve(incidentId);
    server.faults = { errorRate: 1 };
    expect(await sendReportFollowups(h.db, mailer())).toBe(0);
    const failed = await followups();
    expect(failed.map((f) => [f.status, f.attempts])).toEqual([
      ["queued", 1],
      ["queued", 1],
    ]);
    expect(failed[0].next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing is sent.
    server.faults = {};
    expect(await sendReportFollowups(h.db, mailer())).toBe(0);

    const later = new Date(Date.now() + 60 * 60_000);
    const sent = await Promise.all([sendReportFollowups(h.db, mailer(), later), sendReportFollowups(h.db, mailer(), later)]);
    expect(sent[0] + sent[1]).toBe(2);
    expect(server.emails).toHaveLength(2);
    const keys = server.requests.filter((r) => r.path === "/emails").map((r) => r.idempotencyKey);
    expect(new Set(keys)).toEqual(new Set([followupIdempotencyKey(incidentId, "ann@example.com"), followupIdempotencyKey(incidentId, "bob@example.com")]));
  });

  it("an address that opted out hears nothing; a forged token changes nothing", async () => {
    const token = await optOutToken(h.db, "ann@example.com");
    const forged = `${Buffer.from("bob@example.com").toString("base64url")}.${token.split(".")[1]}`;
    await expect(optOutOfReportFollowups(h.db, forged)).rejects.toMatchObject({ code: "not_found" });
    await expect(optOutOfReportFollowups(h.db, "nonsense")).rejects.toMatchObject({ code: "not_found" });
    expect(await optOutOfReportFollowups(h.db, token)).toEqual({ email: "ann@example.com" });

    const incidentId = await declaredFromReports();
    await resolve(incidentId);
    expect((await followups()).map((f) => f.email)).toEqual(["bob@example.com"]);
    await sendReportFollowups(h.db, mailer());
    expect(server.inbox("ann@example.com")).toEqual([]);
  });

  it("opting out cancels a queued follow-up", async () => {
    const incidentId = await declaredFromReports();
    await resolve(incidentId);
    await optOutOfReportFollowups(h.db, await optOutToken(h.db, "bob@example.com"));
    expect((await followups()).map((f) => [f.email, f.status])).toEqual([
      ["ann@example.com", "queued"],
      ["bob@example.com", "cancelled"],
    ]);
    expect(await sendReportFollowups(h.db, mailer())).toBe(1);
    expect(server.inbox("bob@example.com")).toEqual([]);
  });

  it("an incident declared without reports, or from another group, emails no reporter", async () => {
    await report(api, "ann@example.com", 1);
    const { incident } = await declareIncident(h.db, systemActor, { name: "Other", severity: "SEV-3", body: "Looking.", components: [] });
    await resolve(incident.id);
    expect(await followups()).toEqual([]);
    await expect(
      declareIncident(h.db, systemActor, { name: "Bad", severity: "SEV-3", body: "Looking.", components: [], fromReports: "abc.def.ghi" }),
    ).rejects.toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ field: "fromReports" })] });
    expect(await h.db.selectFrom("incidents").select("name").where("name", "=", "Bad").execute()).toEqual([]);
  });

  describe("the proof of work", () => {
    beforeEach(async () => {
      const page = await getPage(h.db);
      await updatePageSettings(h.db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone, reportsChallenge: true });
    });
    const stored = () => h.db.selectFrom("problem_reports").select("description").execute();
    const solved = async () => {
      const challenge = await newReportChallenge(h.db);
      const solution = (await solveChallenge({ challenge, deriveKey }))!;
      return { challenge, solution, encoded: Buffer.from(JSON.stringify({ challenge, solution })).toString("base64") };
    };
    const input = (challenge: string) => ({ component: api, description: "The page shows an error", [CHALLENGE_FIELD]: challenge });

    it("is required, checked and spent once; a refused report stores nothing", async () => {
      for (const bad of ["", "not base64 json", Buffer.from("{}").toString("base64")]) {
        const error = await submitReport(h.db, input(bad), { ip: "10.0.0.1" }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "invalid_input", issues: [expect.objectContaining({ field: CHALLENGE_FIELD })] });
      }
      const { challenge, solution, encoded } = await solved();
      const tampered = Buffer.from(JSON.stringify({ challenge, solution: { ...solution, derivedKey: solution.derivedKey.replace(/^./, (c) => (c === "0" ? "1" : "0")) } })).toString("base64");
      await expect(submitReport(h.db, input(tampered), { ip: "10.0.0.1" })).rejects.toMatchObject({ issues: [expect.objectContaining({ field: CHALLENGE_FIELD })] });
      const cheaper = Buffer.from(JSON.stringify({ challenge: { ...challenge, parameters: { ...challenge.parameters, cost: 1 } }, solution })).toString("base64");
      await expect(submitReport(h.db, input(cheaper), { ip: "10.0.0.1" })).rejects.toMatchObject({ code: "invalid_input" });
      expect(await stored()).toEqual([]);
      expect(await h.db.selectFrom("report_attempts").selectAll().execute()).toEqual([]);

      expect(await submitReport(h.db, input(encoded), { ip: "10.0.0.1" })).toEqual({ ok: true });
      await expect(submitReport(h.db, input(encoded), { ip: "10.0.0.2" })).rejects.toMatchObject({
        issues: [expect.objectContaining({ field: CHALLENGE_FIELD, message: expect.stringContaining("already used") })],
      });
      expect(await stored()).toHaveLength(1);
    });

    it("off again: no challenge needed", async () => {
      const page = await getPage(h.db);
      await updatePageSettings(h.db, systemActor, { name: page.name, url: page.url, timeZone: page.time_zone, reportsChallenge: false });
      expect(await submitReport(h.db, input(""), { ip: "10.0.0.1" })).toEqual({ ok: true });
    });
  });
});

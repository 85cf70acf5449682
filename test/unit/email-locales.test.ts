import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { parse as parseHtml } from "parse5";
import { describe, expect, it } from "vitest";
import { renderConfirmationEmail, renderReportFollowupEmail, renderUpdateEmail, type UpdateMailInput } from "#emails/render.tsx";
import type { MailIncident, MailPage, MailUpdate, RenderedEmail } from "#emails/types.ts";

/*
 * Every subscriber email in German and Arabic: the subject and body in the
 * reader's language, <html lang dir>, no English left of Candor's own words,
 * the next update promised only when the incident has a cadence, and times
 * for people (the machine form only in <time dateTime>).
 */
const root = resolve(import.meta.dirname, "../..");
type Tree = { [key: string]: string | Tree };
const english = JSON.parse(readFileSync(join(root, "messages", "en.json"), "utf8")) as { email: Tree; common: Tree };

function leaves(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === "string" ? [v] : leaves(v)));
}

/** The English words of a message (its literal text, between the placeholders), two or more letters long. */
function literals(message: string): string[] {
  const out: string[] = [];
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.literal) out.push(...e.value.split(/[[\]():·–,.]+/).map((s) => s.trim()));
      else if (e.type === TYPE.plural || e.type === TYPE.select) for (const o of Object.values(e.options)) walk(o.value);
      else if (e.type === TYPE.tag) walk(e.children);
    }
  };
  walk(parse(message));
  return out.filter((s) => /[A-Za-z]{2}/.test(s));
}

// Candor's own English in emails: the email catalog (but its chat messages) and the shared status words.
const { chat: _chat, ...emailWords } = english.email;
const ENGLISH = [...new Set([...leaves(emailWords), ...leaves(english.common)].flatMap(literals))];

/** What a reader sees: the subject, the HTML's text, the plain text and the timeline attachment (the .ics is a machine format). */
function visible(email: RenderedEmail): string {
  const html = email.html
    .replace(/<head>[\s\S]*?<\/head>/, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&nbsp;", " ");
  return [email.subject, html, email.text, ...email.attachments.filter((a) => a.contentType.startsWith("text/plain")).map((a) => a.content)].join("\n");
}

/** English words of Candor's own left in an email (people's words are English here on purpose, and stay). */
function englishLeft(email: RenderedEmail): string[] {
  const text = visible(email);
  return ENGLISH.filter((phrase) => new RegExp(`(^|[^A-Za-z])${phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^A-Za-z]|$)`).test(text));
}

function htmlRoot(html: string) {
  const doc = parseHtml(html);
  const element = doc.childNodes.find((n) => n.nodeName === "html") as { attrs: { name: string; value: string }[] };
  return Object.fromEntries(element.attrs.map((a) => [a.name, a.value]));
}

const page: MailPage = { name: "Acme", url: "https://status.acme.test", timeZone: "UTC" };
const incident: MailIncident = {
  id: "abcdefabcdef",
  reference: "INC-2026-0042",
  kind: "incident",
  name: "API latency",
  scheduledFor: null,
  scheduledUntil: null,
  sequence: 0,
  cancelled: false,
  postmortemBody: null,
  impact: "major",
  nextUpdateDueAt: new Date("2026-11-23T06:00:00Z"),
};
const api = { component_id: "apiapiapiapi", component_name: "API", group_name: null };
const updates: MailUpdate[] = [
  {
    id: "u00000000003",
    status: "identified",
    body: "A bad deploy. Rolling back.",
    display_at: new Date("2026-11-23T05:30:00Z"),
    changes: [{ ...api, old_status: "degraded_performance", new_status: "major_outage" }],
  },
  { id: "u00000000002", status: "investigating", body: "Slow responses.", display_at: new Date("2026-11-23T05:15:00Z"), changes: [{ ...api, old_status: "operational", new_status: "degraded_performance" }] },
  { id: "u00000000001", status: "investigating", body: "Looking into it.", display_at: new Date("2026-11-23T05:00:00Z"), changes: [] },
];
const resolved: MailUpdate[] = [
  { id: "u00000000004", status: "resolved", body: "Fixed.", display_at: new Date("2026-11-23T06:10:00Z"), changes: [{ ...api, old_status: "major_outage", new_status: "operational" }] },
  ...updates,
];
const maintenance: MailIncident = {
  ...incident,
  id: "mntmntmntmnt",
  reference: "MNT-2026-0007",
  kind: "maintenance",
  name: "Database upgrade",
  scheduledFor: new Date("2026-11-24T22:00:00Z"),
  scheduledUntil: new Date("2026-11-25T01:00:00Z"),
  impact: "maintenance",
  nextUpdateDueAt: null,
};
const scheduled: MailUpdate[] = [{ id: "m00000000001", status: "scheduled", body: "Upgrading the primary.", display_at: new Date("2026-11-23T10:00:00Z"), changes: [] }];

type Kind = { name: string; input: Omit<UpdateMailInput, "locale"> };
const kinds: Kind[] = [
  { name: "update", input: { page, incident, updates, reason: "update", mode: "attach" } },
  { name: "update (batch)", input: { page, incident, updates, reason: "update", mode: "batch" } },
  { name: "resolution", input: { page, incident: { ...incident, nextUpdateDueAt: null }, updates: resolved, reason: "update", mode: "attach" } },
  { name: "maintenance", input: { page, incident: maintenance, updates: scheduled, reason: "update", mode: "attach" } },
  { name: "maintenance cancelled", input: { page, incident: { ...maintenance, cancelled: true }, updates: scheduled, reason: "update", mode: "attach" } },
  {
    name: "postmortem",
    input: { page, incident: { ...incident, nextUpdateDueAt: null, postmortemBody: "## Root cause\n\nA config push." }, updates: resolved, reason: "postmortem", mode: "attach" },
  },
];

const expected = {
  de: {
    dir: "ltr",
    subjects: {
      update: "[Acme] Ursache erkannt: API latency",
      "update (batch)": "[Acme] Ursache erkannt: API latency",
      resolution: "[Acme] Behoben: API latency",
      maintenance: "[Acme] Wartung geplant: Database upgrade",
      "maintenance cancelled": "[Acme] Wartung abgesagt: Database upgrade",
      postmortem: "[Acme] Nachbericht: API latency",
    },
    confirm: "[Acme] Bestätigen Sie Ihr Abonnement",
    followup: "[Acme] Behoben: API latency",
    next: "Nächstes Update bis",
    impact: "Erhebliche Auswirkung",
    affected: "Betroffene Komponenten",
    status: "API: Schwerer Ausfall",
    event: "SUMMARY:Wartung bei Acme: Database upgrade",
  },
  ar: {
    dir: "rtl",
    subjects: {
      update: "[Acme] تم تحديد السبب: API latency",
      "update (batch)": "[Acme] تم تحديد السبب: API latency",
      resolution: "[Acme] تم الحل: API latency",
      maintenance: "[Acme] صيانة مجدولة: Database upgrade",
      "maintenance cancelled": "[Acme] أُلغيت الصيانة: Database upgrade",
      postmortem: "[Acme] تقرير ما بعد الحادث: API latency",
    },
    confirm: "[Acme] أكّد اشتراكك",
    followup: "[Acme] تم الحل: API latency",
    next: "التحديث التالي في موعد أقصاه",
    impact: "تأثير كبير",
    affected: "المكوّنات المتأثرة",
    status: "API: انقطاع كبير",
    event: "SUMMARY:صيانة Acme: Database upgrade",
  },
} as const;

describe.each(["de", "ar"] as const)("emails in %s", (locale) => {
  const want = expected[locale];

  it.each(kinds)("$name: subject and body in the reader's language, <html lang dir>, no English of ours left", async ({ name, input }) => {
    const email = await renderUpdateEmail({ ...input, locale });
    expect(email.subject).toBe(want.subjects[name as keyof typeof want.subjects]);
    expect(htmlRoot(email.html)).toMatchObject({ lang: locale, dir: want.dir });
    expect(englishLeft(email)).toEqual([]);
    // People's words stay as written.
    expect(email.html).toContain(input.updates[0].body);
    // Times for people: no machine timestamp anywhere a reader sees it.
    expect(visible(email)).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(email.html).toMatch(/<time dateTime="2026-11-2\dT\d\d:\d\d:00\.000Z">/);
    if (input.mode === "attach") expect(email.attachments.length).toBeGreaterThan(0);
  });

  it("an update opens with the impact, the affected components' status and the next update (with a cadence)", async () => {
    const email = await renderUpdateEmail({ page, incident, updates, locale, reason: "update", mode: "attach" });
    const seen = email.html.replace(/<head>[\s\S]*?<\/head>/, "").replace(/<[^>]+>/g, "");
    const body = seen.indexOf(updates[0].body);
    for (const part of [want.impact, want.affected, want.status, want.next]) {
      expect(seen).toContain(part);
      expect(seen.indexOf(part)).toBeLessThan(body);
    }
    expect(email.html).toContain('<time dateTime="2026-11-23T06:00:00.000Z">06:00');
    expect(email.text).toContain(want.next);
    expect(email.text).toContain(want.status);
  });

  it("promises no next update without a cadence", async () => {
    const email = await renderUpdateEmail({ page, incident: { ...incident, nextUpdateDueAt: null }, updates, locale, reason: "update", mode: "attach" });
    expect(email.html).not.toContain(want.next);
    expect(email.text).not.toContain(want.next);
    expect(email.html).toContain(want.impact);
  });

  it("the maintenance's calendar event is named in the reader's language", async () => {
    const email = await renderUpdateEmail({ page, incident: maintenance, updates: scheduled, locale, reason: "update", mode: "attach" });
    const ics = email.attachments.find((a) => a.filename === "MNT-2026-0007.ics")!.content;
    expect(ics.replace(/\r\n[ \t]/g, "")).toContain(want.event);
  });

  it("confirmation: subject, body and direction", async () => {
    const email = await renderConfirmationEmail(page, locale, "https://status.acme.test/confirm/tok.xyz", 7);
    expect(email.subject).toBe(want.confirm);
    expect(htmlRoot(email.html)).toMatchObject({ lang: locale, dir: want.dir });
    expect(englishLeft(email)).toEqual([]);
    expect(email.text).toContain("https://status.acme.test/confirm/tok.xyz");
  });
  it("a reporter's follow-up (in the page's default locale): subject, body and direction", async () => {
    const email = await renderReportFollowupEmail(page, locale, {
      incidentName: "API latency",
      reportedAt: new Date("2026-11-23T05:10:00Z"),
      componentName: "API",
      incidentUrl: "https://status.acme.test/incidents/abcdefabcdef",
      optOutUrl: "https://status.acme.test/report/stop/tok",
    });
    expect(email.subject).toBe(want.followup);
    expect(htmlRoot(email.html)).toMatchObject({ lang: locale, dir: want.dir });
    expect(englishLeft(email)).toEqual([]);
    expect(email.text).toContain("API latency");
    expect(email.headers["List-Unsubscribe"]).toBe("<https://status.acme.test/report/stop/tok/one-click>");
  });
});

describe("the English check itself", () => {
  it("finds Candor's English in an English email", async () => {
    const email = await renderUpdateEmail({ page, incident, updates, locale: "en", reason: "update", mode: "attach" });
    expect(englishLeft(email)).toEqual(expect.arrayContaining(["Next update by", "Affected components", "Major outage"]));
    expect(email.text).toContain("Next update by 06:00 UTC");
  });
});

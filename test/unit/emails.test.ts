import { parse } from "parse5";
import { describe, expect, it } from "vitest";
import { HTML_BUDGET, LINK_PLACEHOLDERS, personalise, renderConfirmationEmail, renderUpdateEmail } from "#emails/render.tsx";
import type { MailIncident, MailPage, MailUpdate } from "#emails/types.ts";

const page: MailPage = { name: "Acme", url: "https://status.acme.test", timeZone: "Europe/Berlin" };
const links = {
  manage: "https://status.acme.test/manage/tok.abc",
  unsubscribe: "https://status.acme.test/unsubscribe/tok.abc",
  oneClick: "https://status.acme.test/unsubscribe/tok.abc/one-click",
};

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
  nextUpdateDueAt: null,
};

function timeline(n: number, bodyLength = 200): MailUpdate[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `u${String(i).padStart(11, "0")}`,
    status: i === 0 ? "identified" : "investigating",
    body: `Update ${n - i}: ${"We are looking into elevated **latency** on the API. ".repeat(Math.ceil(bodyLength / 55))}`.slice(0, bodyLength),
    display_at: new Date(Date.UTC(2026, 10, 23, 12, 0) - i * 15 * 60_000),
    changes:
      i === 0
        ? [{ component_id: "apiapiapiapi", component_name: "API", group_name: null, old_status: "degraded_performance", new_status: "major_outage" }]
        : [],
  }));
}

/*
 * Parse errors as the HTML spec defines them (unclosed or misnested elements,
 * duplicate attributes...). React Email's XHTML 1.0 Transitional doctype is
 * deliberate (what email clients expect), so that one report is allowed.
 */
function htmlErrors(html: string): string[] {
  const errors: string[] = [];
  parse(html, {
    onParseError: (e) => {
      if (e.code !== "non-conforming-doctype") errors.push(`${e.code} at ${e.startLine}:${e.startCol}`);
    },
  });
  return errors;
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replaceAll("&amp;", "&"));
}

describe("incident update email", () => {
  it("has the status and name in the subject, the newest update first, links, headers and the timeline attached", async () => {
    const updates = timeline(3);
    const email = personalise(await renderUpdateEmail({ page, incident, updates, locale: "en", reason: "update", mode: "attach" }), links);
    expect(email.subject).toBe("[Acme] Identified: API latency");
    expect(email.headers).toEqual({
      "List-Unsubscribe": `<${links.oneClick}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(hrefs(email.html)).toEqual(
      expect.arrayContaining(["https://status.acme.test/incidents/abcdefabcdef", links.manage, links.unsubscribe]),
    );
    expect(email.html).not.toContain("candor.invalid");
    expect(email.text).toContain(links.unsubscribe);
    expect(email.text).not.toContain("candor.invalid");
    // Newest first and prominent, in the page's zone with its offset.
    expect(email.html.indexOf("Update 3")).toBeLessThan(email.html.indexOf("Update 2"));
    expect(email.html).toContain("Nov 23, 2026, 13:00 GMT+1");
    expect(email.html).toContain("Degraded performance → Major outage");
    expect(email.attachments).toHaveLength(1);
    const [attachment] = email.attachments;
    expect(attachment.filename).toBe("INC-2026-0042-timeline.txt");
    for (const n of [1, 2, 3]) expect(attachment.content).toContain(`Update ${n}:`);
    // Times for people; the machine form only in <time dateTime> (the HTML), never in parentheses.
    expect(attachment.content).toContain("Identified — Nov 23, 2026, 13:00 GMT+1");
    expect(attachment.content).not.toContain("2026-11-23T13:00:00.000+01:00");
    expect(email.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(email.html).toContain('<time dateTime="2026-11-23T13:00:00.000+01:00">Nov 23, 2026, 13:00 GMT+1</time>');
    expect(email.html).not.toContain("(2026-11-23T");
    expect(htmlErrors(email.html)).toEqual([]);
  });

  it("stays under Gmail's 102 KB clip with 60 long updates, saying how many earlier ones are attached", async () => {
    const updates = timeline(60, 3_000);
    const email = await renderUpdateEmail({ page, incident, updates, locale: "en", reason: "update", mode: "attach" });
    expect(Buffer.byteLength(email.html)).toBeLessThan(HTML_BUDGET);
    expect(Buffer.byteLength(email.html)).toBeLessThan(102 * 1024);
    const visible = email.html.replaceAll("<!-- -->", "");
    const hidden = /(\d+) earlier updates are in the attached INC-2026-0042-timeline\.txt and on/.exec(visible);
    expect(hidden).not.toBeNull();
    const shown = (email.html.match(/Update \d+:/g) ?? []).length;
    expect(shown + Number(hidden![1])).toBe(60);
    expect(email.html).toContain("Update 60:");
    // The attachment has all of them.
    expect((email.attachments[0].content.match(/Update \d+:/g) ?? []).length).toBe(60);
    expect(htmlErrors(email.html)).toEqual([]);
  });

  it("in batch mode carries no attachment and links the timeline instead", async () => {
    const email = await renderUpdateEmail({ page, incident, updates: timeline(4), locale: "en", reason: "update", mode: "batch" });
    expect(email.attachments).toEqual([]);
    expect(email.text).toContain("The whole timeline (4 updates): https://status.acme.test/incidents/abcdefabcdef");
  });

  it("is rendered once with placeholders, so personalising only replaces the links", async () => {
    const base = await renderUpdateEmail({ page, incident, updates: timeline(2), locale: "en", reason: "update", mode: "attach" });
    expect(base.html).toContain(LINK_PLACEHOLDERS.unsubscribe);
    const other = { manage: "https://m.test/x", unsubscribe: "https://u.test/x", oneClick: "https://o.test/x" };
    const a = personalise(base, links);
    const b = personalise(base, other);
    expect(a.html.replaceAll(links.manage, "M").replaceAll(links.unsubscribe, "U")).toBe(
      b.html.replaceAll(other.manage, "M").replaceAll(other.unsubscribe, "U"),
    );
  });
});

describe("maintenance emails", () => {
  const maintenance: MailIncident = {
    ...incident,
    id: "mntmntmntmnt",
    reference: "MNT-2026-0007",
    kind: "maintenance",
    name: "Database upgrade",
    scheduledFor: new Date("2026-11-24T22:00:00Z"),
    scheduledUntil: new Date("2026-11-25T01:00:00Z"),
    sequence: 2,
  };
  const entry = (status: MailUpdate["status"]): MailUpdate[] => [
    { id: "m00000000001", status, body: "Upgrading the primary database.", display_at: new Date("2026-11-23T10:00:00Z"), changes: [] },
  ];

  it.each([
    ["scheduled", "[Acme] Maintenance scheduled: Database upgrade"],
    ["in_progress", "[Acme] Maintenance starting: Database upgrade"],
    ["completed", "[Acme] Maintenance completed: Database upgrade"],
  ] as const)("%s: subject, window in the page's zone, .ics with a stable UID and SEQUENCE", async (status, subject) => {
    const email = await renderUpdateEmail({ page, incident: maintenance, updates: entry(status), locale: "en", reason: "update", mode: "attach" });
    expect(email.subject).toBe(subject);
    expect(email.html).toContain("Nov 24, 2026, 23:00 GMT+1 – Nov 25, 2026, 02:00 GMT+1");
    const ics = email.attachments.find((a) => a.filename === "MNT-2026-0007.ics");
    expect(ics?.contentType).toMatch(/^text\/calendar/);
    expect(ics?.content).toMatch(/UID:maintenance-mntmntmntmnt@status\.acme\.test/);
    expect(ics?.content).toMatch(/SEQUENCE:2/);
    expect(ics?.content).toMatch(/DTSTART:20261124T220000Z/);
    expect(ics?.content).toMatch(/METHOD:PUBLISH/);
    // Pinned to the update's time: a retried email is byte-identical.
    expect(ics?.content).toMatch(/DTSTAMP:20261123T100000Z/);
    expect(htmlErrors(email.html)).toEqual([]);
  });

  it("a cancellation carries METHOD:CANCEL and STATUS:CANCELLED", async () => {
    const email = await renderUpdateEmail({
      page,
      incident: { ...maintenance, cancelled: true, sequence: 3 },
      updates: entry("completed"),
      locale: "en",
      reason: "update",
      mode: "attach",
    });
    expect(email.subject).toBe("[Acme] Maintenance cancelled: Database upgrade");
    const ics = email.attachments.find((a) => a.filename.endsWith(".ics"))!.content;
    expect(ics).toMatch(/METHOD:CANCEL/);
    expect(ics).toMatch(/STATUS:CANCELLED/);
    expect(ics).toMatch(/SEQUENCE:3/);
  });
});

describe("confirmation and postmortem emails", () => {
  it("confirmation: subject, the confirm link, no unsubscribe headers (nothing is subscribed yet)", async () => {
    const email = await renderConfirmationEmail(page, "en", "https://status.acme.test/confirm/tok.xyz", 7);
    expect(email.subject).toBe("[Acme] Confirm your subscription");
    expect(hrefs(email.html)).toContain("https://status.acme.test/confirm/tok.xyz");
    expect(email.text).toContain("https://status.acme.test/confirm/tok.xyz");
    expect(email.text).toContain("expires in 7 days");
    expect(email.headers).toEqual({});
    expect(htmlErrors(email.html)).toEqual([]);
  });

  it("postmortem: subject and the postmortem text before the timeline", async () => {
    const email = await renderUpdateEmail({
      page,
      incident: { ...incident, postmortemBody: "## Root cause\n\nA config push **removed** a route." },
      updates: timeline(2).map((u, i) => (i === 0 ? { ...u, status: "resolved" as const } : u)),
      locale: "en",
      reason: "postmortem",
      mode: "attach",
    });
    expect(email.subject).toBe("[Acme] Postmortem: API latency");
    expect(email.html).toContain("<strong>removed</strong>");
    expect(email.html.indexOf("Root cause")).toBeLessThan(email.html.indexOf("Update 2:"));
    expect(htmlErrors(email.html)).toEqual([]);
  });
});

import { render } from "@react-email/render";
import { Text } from "@react-email/components";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { incidentUrl } from "#lib/core/page-url.ts";
import type { Locale } from "#lib/core/locales.ts";
import { latestComponentStatuses } from "#lib/core/timeline.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { ChannelQuarantinedEmail, type QuarantineNotice } from "./channel-quarantined.tsx";
import { ConfirmationEmail } from "./confirmation.tsx";
import { IncidentUpdateEmail } from "./incident-update.tsx";
import { InviteEmail } from "./invite.tsx";
import { followupSummary, ReportFollowupEmail, type ReportFollowup } from "./report-followup.tsx";
import { ReliabilityDigestEmail, type ReliabilityDigest } from "./reliability-digest.tsx";
import { reportCount, ReportSpikeEmail, spikeSummary, type ReportSpike } from "./report-spike.tsx";
import { icsFilename, maintenanceIcs } from "./maintenance.ts";
import { timelineFilename, timelineText, entryText } from "./timeline.ts";
import { mailWords, type MailWords } from "./words.ts";
import type { MailIncident, MailLinks, MailPage, MailUpdate, RenderedEmail } from "./types.ts";

/*
 * Emails are rendered once per update with placeholder links, then
 * personalised per recipient by plain replacement (personalise), so 10,000
 * recipients cost one render.
 */
export const LINK_PLACEHOLDERS: MailLinks = {
  manage: "https://candor.invalid/__CANDOR_MANAGE__",
  unsubscribe: "https://candor.invalid/__CANDOR_UNSUBSCRIBE__",
};

/** Gmail clips HTML beyond 102 KB; stay clear of it. */
export const HTML_BUDGET = 100 * 1024;

export interface UpdateMailInput {
  page: MailPage;
  /** The subscribers' language: one render per update, mode and locale. */
  locale: Locale;
  incident: MailIncident;
  /** Newest first; the first is the update being announced. */
  updates: MailUpdate[];
  /** What triggered the email: a timeline update, or a published postmortem. */
  reason: "update" | "postmortem";
  /** batch: no attachments (the batch endpoint drops them); the timeline is linked instead. */
  mode: "attach" | "batch";
}

function subjectFor(input: UpdateMailInput, words: MailWords): { subject: string; heading: string; preview: string } {
  const { incident, updates } = input;
  const { t } = words;
  const page = input.page.name;
  const name = incident.name;
  const status = updates[0].status;
  if (input.reason === "postmortem") {
    const heading = t("postmortem.heading", { name });
    return { subject: t("postmortem.subject", { page, name }), heading, preview: heading };
  }
  if (incident.kind === "maintenance") {
    const what = incident.cancelled
      ? t("maintenance.cancelled")
      : status === "scheduled"
        ? t("maintenance.scheduled")
        : status === "in_progress"
          ? t("maintenance.starting")
          : status === "completed"
            ? t("maintenance.completed")
            : t("maintenance.other", { status: words.updateStatus(status) });
    const heading = t("maintenance.heading", { what, name });
    return { subject: t("maintenance.subject", { page, what, name }), heading, preview: heading };
  }
  const subject = t("update.subject", { page, status: words.updateStatus(status), name });
  return { subject, heading: name, preview: subject };
}

function maintenanceWindow(incident: MailIncident, words: MailWords): string | null {
  if (incident.kind !== "maintenance" || !incident.scheduledFor || !incident.scheduledUntil) return null;
  const window = { from: words.at(incident.scheduledFor), until: words.at(incident.scheduledUntil) };
  return incident.cancelled ? words.t("maintenance.windowCancelled", window) : words.t("maintenance.window", window);
}

export async function renderUpdateEmail(input: UpdateMailInput): Promise<RenderedEmail> {
  const { page, incident, updates } = input;
  const words = mailWords(input.locale, page.timeZone);
  const { t } = words;
  const url = incidentUrl(page.url, incident.id);
  const { subject, heading, preview } = subjectFor(input, words);
  const attachTimeline = input.mode === "attach";
  const timelineName = attachTimeline ? timelineFilename(incident) : null;
  const window = maintenanceWindow(incident, words);
  const lead = (
    <>
      {window ? <Text style={{ fontSize: "15px", fontWeight: 600, margin: "0 0 16px" }}>{window}</Text> : null}
      {input.reason === "postmortem" && incident.postmortemBody ? (
        <div
          style={{ fontSize: "15px", lineHeight: "22px", margin: "0 0 24px" }}
          dangerouslySetInnerHTML={{ __html: renderMarkdown(incident.postmortemBody) }}
        />
      ) : null}
    </>
  );
  const html = async (shown: number) =>
    render(
      <IncidentUpdateEmail
        page={page}
        words={words}
        incident={incident}
        updates={updates}
        shown={shown}
        attachmentName={timelineName}
        incidentUrl={url}
        links={LINK_PLACEHOLDERS}
        lead={lead}
        heading={heading}
        preview={preview}
      />,
    );
  // Keep as many of the newest updates as fit the budget; the rest are counted and attached.
  let shown = updates.length;
  let out = await html(shown);
  while (Buffer.byteLength(out) > HTML_BUDGET && shown > 1) {
    shown = Math.max(1, Math.floor(shown / 2));
    out = await html(shown);
  }

  const impact = incident.kind === "incident" ? incident.impact : null;
  const affected = latestComponentStatuses(updates);
  const due = incident.nextUpdateDueAt;
  const text = [
    heading,
    `${incident.reference} · ${url}`,
    impact ? words.common(`impact.${impact}`) : null,
    affected.length > 0 ? `${t("update.affected")}:\n${affected.map((c) => `  • ${c.name}: ${words.componentStatus(c.status)}`).join("\n")}` : null,
    due ? t.markup("update.nextUpdate", { time: () => words.clock(due) }) : null,
    window,
    input.reason === "postmortem" && incident.postmortemBody ? `\n${incident.postmortemBody.trim()}\n` : null,
    "",
    entryText(updates[0], words),
    "",
    updates.length > 1
      ? attachTimeline
        ? t("update.textAttached", { count: updates.length, file: timelineName! })
        : t("update.textLinked", { count: updates.length, url })
      : null,
    "",
    `${t("footer.manage")}: ${LINK_PLACEHOLDERS.manage}`,
    `${t("footer.unsubscribe")}: ${LINK_PLACEHOLDERS.unsubscribe}`,
  ]
    .filter((line) => line !== null)
    .join("\n");

  const attachments: RenderedEmail["attachments"] = [];
  if (attachTimeline) {
    const timeline = timelineText(page, incident, updates, url, words);
    attachments.push({ filename: timelineName!, content: timeline, contentType: "text/plain; charset=utf-8" });
  }
  if (attachTimeline && incident.kind === "maintenance" && incident.scheduledFor && incident.scheduledUntil) {
    attachments.push({
      filename: icsFilename(incident),
      content: maintenanceIcs(page, incident, url, updates[0].display_at, t("maintenance.event", { page: page.name, name: incident.name })),
      contentType: "text/calendar; charset=utf-8",
    });
  }
  return { subject, html: out, text, headers: {}, attachments };
}

export async function renderConfirmationEmail(page: MailPage, locale: Locale, confirmUrl: string, expiresDays: number): Promise<RenderedEmail> {
  const words = mailWords(locale, page.timeZone);
  const { t } = words;
  const html = await render(<ConfirmationEmail page={page} words={words} confirmUrl={confirmUrl} expiresDays={expiresDays} />);
  const text = [t("confirm.preview", { page: page.name }), "", t("confirm.follow", { days: expiresDays }), confirmUrl, "", t("confirm.ignore")].join("\n");
  return { subject: t("confirm.subject", { page: page.name }), html, text, headers: {}, attachments: [] };
}

export async function renderInviteEmail(page: MailPage, inviteUrl: string, role: string, expiresAt: Date): Promise<RenderedEmail> {
  const expires = formatDateTime(expiresAt, page.timeZone);
  const html = await render(<InviteEmail page={page} inviteUrl={inviteUrl} role={role} expiresAt={expires} />);
  const text = [
    `You are invited to the ${page.name} status page admin as ${role}.`,
    "",
    `Follow this link to choose your password (it works once and expires ${expires}):`,
    inviteUrl,
  ].join("\n");
  return { subject: `[${page.name}] Your invite to the status page admin`, html, text, headers: {}, attachments: [] };
}

export async function renderReportSpikeEmail(page: MailPage, spike: ReportSpike): Promise<RenderedEmail> {
  const subject = `[${page.name}] ${reportCount(spike.count)} for ${spike.componentName ?? "not sure / the whole service"}`;
  const html = await render(<ReportSpikeEmail page={page} spike={spike} subject={subject} />);
  const text = [
    spikeSummary(spike, ['"', '"']),
    ...spike.latest.flatMap((report) => ["", `${report.at}:`, report.description]),
    "",
    `Declare an incident: ${spike.declareUrl}`,
    `All reports: ${spike.reportsUrl}`,
  ].join("\n");
  return { subject, html, text, headers: {}, attachments: [] };
}

/** A reporter has no language of their own on record: the page's default locale. */
export async function renderReportFollowupEmail(page: MailPage, locale: Locale, followup: ReportFollowup): Promise<RenderedEmail> {
  const words = mailWords(locale, page.timeZone);
  const { t } = words;
  const subject = t("followup.subject", { page: page.name, name: followup.incidentName });
  const html = await render(<ReportFollowupEmail page={page} words={words} followup={followup} subject={subject} />);
  const text = [
    followupSummary(followup, words),
    "",
    t("followup.thanks"),
    "",
    `${t("followup.read")}: ${followup.incidentUrl}`,
    "",
    `${t("followup.optOut")}: ${followup.optOutUrl}`,
  ].join("\n");
  // One-click (RFC 8058): the link's POST records the opt-out.
  const headers = { "List-Unsubscribe": `<${followup.optOutUrl}/one-click>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
  return { subject, html, text, headers, attachments: [] };
}

export async function renderQuarantineEmail(page: MailPage, notice: QuarantineNotice): Promise<RenderedEmail> {
  const subject = `[${page.name}] Notifications to ${notice.host} stopped`;
  const html = await render(<ChannelQuarantinedEmail page={page} notice={notice} subject={subject} />);
  const text = [
    `The ${notice.channel} endpoint on ${notice.host} kept failing, so it no longer receives notifications. The last error was:`,
    "",
    notice.lastError,
    "",
    `Once it works again, ask the page's admins to re-enable it: ${notice.adminUrl}`,
  ].join("\n");
  return { subject, html, text, headers: {}, attachments: [] };
}

export async function renderReliabilityDigestEmail(page: MailPage, digest: ReliabilityDigest): Promise<RenderedEmail> {
  const subject = `[${page.name}] Reliability in ${digest.monthLabel}`;
  const html = await render(<ReliabilityDigestEmail page={page} digest={digest} subject={subject} />);
  const text = [
    `${subject}: ${digest.monthLabel}, then the month before.`,
    "",
    ...digest.figures.map((f) => `${f.label}: ${f.current} (${f.previous})`),
    "",
    `The whole report: ${digest.reportUrl}`,
  ].join("\n");
  return { subject, html, text, headers: {}, attachments: [] };
}

/** Fill one recipient's links and add the RFC 8058 one-click unsubscribe headers. */
export function personalise(email: RenderedEmail, links: MailLinks & { oneClick: string }): RenderedEmail {
  const fill = (s: string) =>
    s.replaceAll(LINK_PLACEHOLDERS.manage, links.manage).replaceAll(LINK_PLACEHOLDERS.unsubscribe, links.unsubscribe);
  return {
    ...email,
    html: fill(email.html),
    text: fill(email.text),
    headers: {
      ...email.headers,
      "List-Unsubscribe": `<${links.oneClick}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

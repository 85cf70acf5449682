import type { Locale } from "#lib/core/locales.ts";
import { formatter, translator } from "#lib/core/messages.ts";
import { componentStatusMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { changeLine } from "#lib/core/timeline.ts";
import type { ChannelEventData } from "./channel-events.ts";

/*
 * Native chat messages: Slack (Block Kit in an attachment, `text` always
 * set for push notifications), Discord (an embed plus `content`) and
 * Microsoft Teams Workflows (an Adaptive Card). Each platform's limits are
 * met by truncating, ending with a link to the incident; a long update
 * never fails a send. Limits: /work/shared/channels.md.
 */
/** What a chat message says, whatever the event (also the report spike alert's). */
export interface ChatMessage {
  title: string;
  status: string;
  impact: string | null;
  body: string;
  affected: string[];
  link: string;
  linkLabel: string;
  color: string;
  at: Date;
  /** `at` for people, in the page's zone and the reader's language (Slack and Discord localise `at` themselves). */
  atText: string;
  pageName: string;
  /** The message's own field names, in the reader's language. */
  labels: ChatLabels;
}

export interface ChatLabels {
  status: string;
  impact: string;
  affected: string;
  readMore: string;
}

const AT = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;

/*
 * Candor's own words of a chat message in the subscriber's language; what
 * people wrote (names, update bodies) stays as written. Webhook JSON is a
 * machine format and never passes through here.
 */
export function chatWords(locale: Locale, zone: string) {
  const t = translator(locale, "email.chat");
  const common = translator(locale, "common");
  const format = formatter(locale, zone);
  return {
    t,
    common,
    at: (date: Date) => format.dateTime(date, AT),
    labels: { status: t("status"), impact: t("impact"), affected: t("affected"), readMore: t("readMore") } satisfies ChatLabels,
  };
}

export function messageOf(e: ChannelEventData, locale: Locale): ChatMessage {
  const pageName = e.snapshot.page.name;
  const { t, common, at, labels } = chatWords(locale, e.snapshot.page.time_zone);
  const base = { pageName, labels, link: e.link };
  if (e.component && e.change) {
    const status = common(`componentStatus.${e.change.newStatus}`);
    return {
      ...base,
      title: t("component", { component: e.component.name, status }),
      status,
      impact: null,
      body: changeLine(
        { component_id: e.component.id, component_name: e.component.name, group_name: null, old_status: e.change.oldStatus, new_status: e.change.newStatus },
        (s) => common(`componentStatus.${s}`),
      ),
      affected: [],
      linkLabel: t("viewPage"),
      color: componentStatusMeta[e.change.newStatus].color,
      at: e.change.at,
      atText: at(e.change.at),
    };
  }
  if (e.incident) {
    const update = e.update ?? e.incident.updates[0];
    const updateStatus = update?.status ?? e.incident.status;
    const when = update?.display_at ?? e.occurredAt;
    return {
      ...base,
      title: e.incident.name,
      status: common(`updateStatus.${e.type === "incident.postmortem" ? "postmortem" : updateStatus}`),
      impact: common(`impact.${e.incident.kind === "maintenance" ? "maintenance" : e.incident.impact}`),
      body: e.type === "incident.postmortem" ? t("postmortem") : (update?.body ?? ""),
      affected: (update?.changes ?? []).map((c) => changeLine(c, (s) => common(`componentStatus.${s}`))),
      linkLabel: e.incident.kind === "maintenance" ? t("viewMaintenance") : t("viewIncident"),
      color: updateStatusMeta[updateStatus].color,
      at: when,
      atText: at(when),
    };
  }
  if (e.type === "verification") {
    return {
      ...base,
      title: t("verifyTitle", { page: pageName }),
      status: t("verifyStatus"),
      impact: null,
      body: t("verifyBody", { page: pageName }),
      affected: [],
      linkLabel: t("confirm"),
      color: "#1d4ed8",
      at: e.occurredAt,
      atText: at(e.occurredAt),
    };
  }
  return {
    ...base,
    title: t("testTitle", { page: pageName }),
    status: t("testStatus"),
    impact: null,
    body: t("testBody"),
    affected: [],
    linkLabel: t("viewPage"),
    color: "#1d4ed8",
    at: e.occurredAt,
    atText: at(e.occurredAt),
  };
}

/** At most `max` characters; a cut text ends with an ellipsis (the message always links to the whole). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

const fallbackText = (m: ChatMessage, max: number) => clip(`${m.title} — ${m.status}: ${m.body}`, max - m.link.length - 1) + ` ${m.link}`;

/* ------------------------------------------------------------------ Slack */

const mrkdwn = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Escapes, then cuts to Slack's limit without splitting an entity. */
const mrkdwnClip = (text: string, max: number) => {
  let out = mrkdwn(text);
  for (let keep = text.length; out.length > max && keep > 0; keep = Math.floor(keep * 0.9)) out = mrkdwn(clip(text, keep));
  return out;
};

export function slackPayload(e: ChannelEventData, locale: Locale) {
  return slackMessage(messageOf(e, locale));
}

export function slackMessage(m: ChatMessage) {
  const fields = [{ type: "mrkdwn", text: `*${mrkdwn(m.labels.status)}*\n${mrkdwn(m.status)}` }];
  if (m.impact) fields.push({ type: "mrkdwn", text: `*${mrkdwn(m.labels.impact)}*\n${mrkdwn(m.impact)}` });
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${m.title} — ${m.status}`, 150), emoji: true } },
    { type: "section", fields },
  ];
  if (m.body) blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwnClip(m.body, 3000) } });
  if (m.affected.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwnClip(`*${m.labels.affected}*\n${m.affected.map((a) => `• ${a}`).join("\n")}`, 3000) } });
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `${mrkdwn(m.pageName)} · <!date^${Math.floor(m.at.getTime() / 1000)}^{date_short_pretty} {time}|${m.at.toISOString()}> · <${m.link}|${m.linkLabel}>` }],
  });
  // Slack's `text` limit is 40,000; a push notification shows the first line or two.
  const text = mrkdwn(fallbackText(m, 3000));
  return { text, attachments: [{ color: m.color, fallback: text, blocks }] };
}

/* ---------------------------------------------------------------- Discord */

const DISCORD_TOTAL = 6000;

export function discordPayload(e: ChannelEventData, locale: Locale) {
  return discordMessage(messageOf(e, locale));
}

export function discordMessage(m: ChatMessage) {
  const fields = [{ name: m.labels.status, value: m.status, inline: true }];
  if (m.impact) fields.push({ name: m.labels.impact, value: m.impact, inline: true });
  if (m.affected.length > 0) fields.push({ name: m.labels.affected, value: clip(m.affected.join("\n"), 1024), inline: false });
  const title = clip(m.title, 256);
  const footer = clip(m.pageName, 2048);
  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  // The description takes what the 6,000-character message total leaves, and ends with the link when cut.
  const room = Math.min(4096, DISCORD_TOTAL - used - 100);
  const description = [...m.body].length > room ? `${clip(m.body, room - m.link.length - m.labels.readMore.length - 6)}\n[${m.labels.readMore}](${m.link})` : m.body;
  return {
    content: clip(`**${m.title}** — ${m.status}`, 2000),
    embeds: [
      {
        title,
        url: m.link,
        description,
        color: parseInt(m.color.slice(1), 16),
        fields: fields.slice(0, 25),
        footer: { text: footer },
        timestamp: m.at.toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/* ------------------------------------------------------------------ Teams */

/** Teams rejects messages over 28 KB; the body keeps well under, whatever the markup adds. */
const TEAMS_BODY_MAX = 16_000;

export function teamsPayload(e: ChannelEventData, locale: Locale) {
  return teamsMessage(messageOf(e, locale));
}

export function teamsMessage(m: ChatMessage) {
  const facts = [{ title: m.labels.status, value: m.status }];
  if (m.impact) facts.push({ title: m.labels.impact, value: m.impact });
  if (m.affected.length > 0) facts.push({ title: m.labels.affected, value: clip(m.affected.join(", "), 2000) });
  return {
    type: "message",
    summary: fallbackText(m, 300),
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          type: "AdaptiveCard",
          $schema: "https://adaptivecards.io/schemas/adaptive-card.json",
          version: "1.5",
          fallbackText: fallbackText(m, 300),
          body: [
            { type: "TextBlock", text: clip(m.title, 500), weight: "Bolder", size: "Medium", wrap: true },
            { type: "FactSet", facts },
            ...(m.body ? [{ type: "TextBlock", text: clip(m.body, TEAMS_BODY_MAX), wrap: true }] : []),
            { type: "TextBlock", text: `${m.pageName} · ${m.atText}`, isSubtle: true, size: "Small", wrap: true },
          ],
          actions: [{ type: "Action.OpenUrl", title: m.linkLabel, url: m.link }],
        },
      },
    ],
  };
}

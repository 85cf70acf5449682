import { componentStatusMeta, impactMeta, updateStatusMeta } from "#lib/core/statuses.ts";
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
  pageName: string;
}

function messageOf(e: ChannelEventData): ChatMessage {
  const pageName = e.snapshot.page.name;
  if (e.component && e.change) {
    const meta = componentStatusMeta[e.change.newStatus];
    return {
      title: `${e.component.name} is ${meta.label.toLowerCase()}`,
      status: meta.label,
      impact: null,
      body: `${e.component.name}: ${componentStatusMeta[e.change.oldStatus].label} → ${meta.label}`,
      affected: [],
      link: e.link,
      linkLabel: "View status page",
      color: meta.color,
      at: e.change.at,
      pageName,
    };
  }
  if (e.incident) {
    const update = e.update ?? e.incident.updates[0];
    const status = e.type === "incident.postmortem" ? "Postmortem" : updateStatusMeta[update?.status ?? e.incident.status].label;
    return {
      title: e.incident.name,
      status,
      impact: e.incident.kind === "maintenance" ? "Maintenance" : impactMeta[e.incident.impact].label,
      body: e.type === "incident.postmortem" ? "A postmortem has been published." : (update?.body ?? ""),
      affected: (update?.changes ?? []).map((c) => changeLine(c)),
      link: e.link,
      linkLabel: e.incident.kind === "maintenance" ? "View maintenance" : "View incident",
      color: updateStatusMeta[update?.status ?? e.incident.status].color,
      at: update?.display_at ?? e.occurredAt,
      pageName,
    };
  }
  if (e.type === "verification") {
    return {
      title: `Confirm ${pageName} status updates here`,
      status: "Confirmation",
      impact: null,
      body: `Someone asked to send ${pageName} incident and maintenance updates to this channel. Follow the link to confirm; nothing else is sent until then.`,
      affected: [],
      link: e.link,
      linkLabel: "Confirm",
      color: "#1d4ed8",
      at: e.occurredAt,
      pageName,
    };
  }
  return {
    title: `Test from ${pageName}`,
    status: "Test",
    impact: null,
    body: "This channel will receive the status page's notifications.",
    affected: [],
    link: e.link,
    linkLabel: "View status page",
    color: "#1d4ed8",
    at: e.occurredAt,
    pageName,
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

export function slackPayload(e: ChannelEventData) {
  return slackMessage(messageOf(e));
}

export function slackMessage(m: ChatMessage) {
  const fields = [{ type: "mrkdwn", text: `*Status*\n${mrkdwn(m.status)}` }];
  if (m.impact) fields.push({ type: "mrkdwn", text: `*Impact*\n${mrkdwn(m.impact)}` });
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: clip(`${m.title} — ${m.status}`, 150), emoji: true } },
    { type: "section", fields },
  ];
  if (m.body) blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwnClip(m.body, 3000) } });
  if (m.affected.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: mrkdwnClip(`*Affected*\n${m.affected.map((a) => `• ${a}`).join("\n")}`, 3000) } });
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

export function discordPayload(e: ChannelEventData) {
  return discordMessage(messageOf(e));
}

export function discordMessage(m: ChatMessage) {
  const fields = [{ name: "Status", value: m.status, inline: true }];
  if (m.impact) fields.push({ name: "Impact", value: m.impact, inline: true });
  if (m.affected.length > 0) fields.push({ name: "Affected", value: clip(m.affected.join("\n"), 1024), inline: false });
  const title = clip(m.title, 256);
  const footer = clip(m.pageName, 2048);
  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  // The description takes what the 6,000-character message total leaves, and ends with the link when cut.
  const room = Math.min(4096, DISCORD_TOTAL - used - 100);
  const description = [...m.body].length > room ? `${clip(m.body, room - m.link.length - 14)}\n[Read more](${m.link})` : m.body;
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

export function teamsPayload(e: ChannelEventData) {
  return teamsMessage(messageOf(e));
}

export function teamsMessage(m: ChatMessage) {
  const facts = [{ title: "Status", value: m.status }];
  if (m.impact) facts.push({ title: "Impact", value: m.impact });
  if (m.affected.length > 0) facts.push({ title: "Affected", value: clip(m.affected.join(", "), 2000) });
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
            { type: "TextBlock", text: `${m.pageName} · ${m.at.toISOString()}`, isSubtle: true, size: "Small", wrap: true },
          ],
          actions: [{ type: "Action.OpenUrl", title: m.linkLabel, url: m.link }],
        },
      },
    ],
  };
}

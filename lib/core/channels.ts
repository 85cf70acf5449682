import type { Channel, ChannelEvent } from "#db/schema.ts";

/* Channel subscribers' kinds and events, and the kind a URL's host implies. */
export const ENDPOINT_CHANNELS = ["webhook", "slack", "discord", "teams"] as const satisfies readonly Exclude<Channel, "email">[];
export type EndpointChannel = (typeof ENDPOINT_CHANNELS)[number];
export const CHANNEL_EVENTS = ["incident", "maintenance", "component", "reports"] as const satisfies readonly ChannelEvent[];

export const channelMeta: Record<EndpointChannel, { label: string }> = {
  webhook: { label: "Webhook" },
  slack: { label: "Slack" },
  discord: { label: "Discord" },
  teams: { label: "Microsoft Teams" },
};

export const channelEventMeta: Record<ChannelEvent, { label: string }> = {
  incident: { label: "Incidents" },
  maintenance: { label: "Maintenance" },
  component: { label: "Component status changes" },
  reports: { label: "Problem report spikes (for your own team's channels)" },
};

/** Slack, Discord and Teams Workflows webhook hosts; anything else is a generic webhook. */
export function detectChannel(url: string): EndpointChannel {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return "webhook";
  }
  if (host === "hooks.slack.com") return "slack";
  if (/^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(host)) return "discord";
  if (/\.logic\.azure\.com$/.test(host) || /(^|\.)api\.(powerautomate|powerplatform)\.com$/.test(host) || /\.flow\.microsoft\.com$/.test(host)) {
    return "teams";
  }
  return "webhook";
}

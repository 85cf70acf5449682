import { randomUUID } from "node:crypto";
import type { Db } from "#db/client.ts";
import type { Channel, WebhookFormat } from "#db/schema.ts";
import type { Locale } from "#lib/core/locales.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { endpointFor } from "#lib/domain/subscribers/channels.ts";
import { testEvent, type ChannelEventData } from "./channel-events.ts";
import { discordPayload, slackPayload, teamsPayload } from "./chat-payloads.ts";
import { postJson, RequestFailed, type HttpAnswer } from "./safe-http.ts";
import { candorPayload, EVENT_ID_HEADER, signature, SIGNATURE_HEADER, statuspagePayload } from "./webhook-payloads.ts";

/*
 * One request to one channel subscriber's endpoint, and what its answer
 * means for the delivery: sent; retried later (network error, timeout,
 * 5xx, 408, 429 with the wait the receiver asked for); failed (any other
 * answer, a 3xx included: redirects are not followed; a refused address);
 * or the endpoint is gone (Slack's 404 no_service / 410
 * channel_is_archived, Discord's unknown webhook), which quarantines it at once.
 */
export interface Endpoint {
  channel: Exclude<Channel, "email">;
  url: string;
  format: WebhookFormat | null;
  secret: string;
  /** The subscriber's language: chat messages' own words; webhook JSON stays English. */
  locale: Locale;
}

export type ChannelOutcome =
  | { ok: true; status: number; excerpt: string }
  | { ok: false; kind: "retry"; retryAfterMs: number | null; message: string; excerpt: string | null }
  | { ok: false; kind: "failed" | "gone"; message: string; excerpt: string | null };

/** What is kept of a receiver's answer for the admin: a short excerpt, no control characters. */
export const excerptOf = (body: string) => body.replace(/[\u0000-\u001f\u007f]+/g, " ").trim().slice(0, 500);

export function requestFor(endpoint: Endpoint, event: ChannelEventData, context: { eventId: string; manageUrl: string }) {
  const payload =
    endpoint.channel === "slack"
      ? slackPayload(event, endpoint.locale)
      : endpoint.channel === "discord"
        ? discordPayload(event, endpoint.locale)
        : endpoint.channel === "teams"
          ? teamsPayload(event, endpoint.locale)
          : endpoint.format === "statuspage" && event.type !== "verification"
            ? statuspagePayload(event, context)
            : candorPayload(event, context);
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "user-agent": "Candor-Webhooks/1",
    [EVENT_ID_HEADER]: context.eventId,
    [SIGNATURE_HEADER]: signature(endpoint.secret, body),
  };
  // Discord answers 204 with no body unless asked to wait; with ?wait=true an error names itself.
  const url = endpoint.channel === "discord" ? withWait(endpoint.url) : endpoint.url;
  return { url, body, headers };
}

function withWait(url: string): string {
  const u = new URL(url);
  u.searchParams.set("wait", "true");
  return u.toString();
}

export async function sendToEndpoint(endpoint: Endpoint, event: ChannelEventData, context: { eventId: string; manageUrl: string }): Promise<ChannelOutcome> {
  const { url, body, headers } = requestFor(endpoint, event, context);
  let answer: HttpAnswer;
  try {
    answer = await postJson(url, body, headers);
  } catch (error) {
    if (error instanceof RequestFailed) {
      return error.refused
        ? { ok: false, kind: "failed", message: error.message, excerpt: null }
        : { ok: false, kind: "retry", retryAfterMs: null, message: error.message, excerpt: null };
    }
    return { ok: false, kind: "retry", retryAfterMs: null, message: `request failed: ${(error as Error).message}`, excerpt: null };
  }
  return classifyAnswer(endpoint.channel, answer);
}

export function classifyAnswer(channel: Endpoint["channel"], answer: HttpAnswer): ChannelOutcome {
  const { status } = answer;
  const excerpt = excerptOf(answer.body);
  if (status >= 200 && status < 300) return { ok: true, status, excerpt };
  const message = `HTTP ${status}${excerpt ? `: ${excerpt.slice(0, 120)}` : ""}`;
  if (status === 429) return { ok: false, kind: "retry", retryAfterMs: retryAfterMs(answer), message, excerpt };
  if (status >= 500 || status === 408) return { ok: false, kind: "retry", retryAfterMs: null, message, excerpt };
  if (status >= 300 && status < 400) return { ok: false, kind: "failed", message: `${message} (redirects are not followed)`, excerpt };
  if (channel === "slack" && (status === 404 || status === 410) && /no_service|channel_is_archived|channel_not_found|no_team/.test(answer.body)) {
    return { ok: false, kind: "gone", message, excerpt };
  }
  if (channel === "discord" && status === 404) return { ok: false, kind: "gone", message, excerpt };
  return { ok: false, kind: "failed", message, excerpt };
}

/** Retry-After (seconds or an HTTP date), or Discord's JSON `retry_after` (seconds); capped at 10 minutes. */
export function retryAfterMs(answer: HttpAnswer): number | null {
  const header = answer.headers["retry-after"];
  let ms: number | null = null;
  if (typeof header === "string" && header.trim() !== "") {
    const seconds = Number(header);
    ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  } else {
    try {
      const parsed = JSON.parse(answer.body) as { retry_after?: unknown };
      if (typeof parsed.retry_after === "number") ms = parsed.retry_after * 1000;
    } catch {
      // Not JSON: no hint, the backoff decides.
    }
  }
  if (ms === null || !Number.isFinite(ms)) return null;
  return Math.min(600_000, Math.max(0, Math.ceil(ms)));
}

/** "Send test" in the admin: a test event to one subscriber, now, and the receiver's answer (nothing is queued or recorded). */
export async function sendTestMessage(db: Db, actor: Actor, input: unknown): Promise<ChannelOutcome> {
  const endpoint = await endpointFor(db, actor, input);
  const event = await testEvent(db);
  return sendToEndpoint(endpoint, event, { eventId: `t:${endpoint.id}:${randomUUID()}`, manageUrl: `${event.pageUrl}/admin/channels` });
}

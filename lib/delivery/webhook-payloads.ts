import { createHmac } from "node:crypto";
import { rfc3339 } from "#lib/core/time.ts";
import { serializeComponent, serializeIncident } from "#lib/public/statuspage-v2.ts";
import type { ChannelEventData } from "./channel-events.ts";

/*
 * Generic webhook bodies. "statuspage": the envelope Statuspage sends
 * (meta, page, then incident, or component + component_update), with the
 * incident and component objects exactly as /api/v2 serializes them, so
 * Zulip, FireHydrant, Opsgenie and scripts written for Statuspage parse it
 * unchanged. "candor": Candor's own format, versioned, with a `type`
 * discriminator and the event id for idempotency.
 */
export interface WebhookContext {
  eventId: string;
  /** Where the receiver's owner manages the subscription (the admin page; there is no per-subscriber link). */
  manageUrl: string;
}

const DOCUMENTATION = "https://github.com/candor-status/candor#channel-subscribers";

export function statuspagePayload(e: ChannelEventData, context: WebhookContext) {
  const zone = e.snapshot.page.time_zone;
  const envelope = {
    meta: { unsubscribe: context.manageUrl, documentation: DOCUMENTATION, generated_at: new Date().toISOString() },
    page: { id: e.snapshot.page.id, status_indicator: e.indicator.indicator, status_description: e.indicator.description },
  };
  if (e.component && e.change) {
    return {
      ...envelope,
      component: { ...serializeComponent({ ...e.component, status: e.change.newStatus }, e.snapshot.page) },
      component_update: {
        old_status: e.change.oldStatus,
        new_status: e.change.newStatus,
        created_at: rfc3339(e.change.createdAt, zone),
        component_type: "Component",
        id: e.change.id,
        component_id: e.component.id,
      },
    };
  }
  if (e.incident) return { ...envelope, incident: serializeIncident(e.incident, e.snapshot) };
  // A test: the envelope alone, as a receiver's parser would first see it.
  return envelope;
}

export const CANDOR_FORMAT_VERSION = "1";

export function candorPayload(e: ChannelEventData, context: WebhookContext) {
  const zone = e.snapshot.page.time_zone;
  const base = {
    version: CANDOR_FORMAT_VERSION,
    id: context.eventId,
    type: e.type,
    created_at: rfc3339(e.occurredAt, zone),
    page: { id: e.snapshot.page.id, name: e.snapshot.page.name, url: e.pageUrl, status: e.indicator },
    subscription: { manage_url: context.manageUrl },
  };
  if (e.component && e.change) {
    return {
      ...base,
      data: {
        component: { id: e.component.id, name: e.component.name, group_id: e.component.group_id },
        old_status: e.change.oldStatus,
        new_status: e.change.newStatus,
        at: rfc3339(e.change.at, zone),
      },
    };
  }
  if (e.incident) {
    return {
      ...base,
      data: {
        incident: { ...serializeIncident(e.incident, e.snapshot), kind: e.incident.kind, url: e.link },
        update_id: e.update?.id ?? null,
      },
    };
  }
  if (e.type === "verification") {
    // OpenStatus's way: the endpoint's owner confirms by opening the link (a GET shows a button; nothing is confirmed by fetching it).
    return { ...base, data: { verify_url: e.link, message: "Open verify_url to confirm this endpoint; nothing else is sent until then." } };
  }
  return { ...base, data: { message: "A test from Candor: this endpoint will receive the page's notifications." } };
}

/*
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`
 * (Stripe's scheme: the timestamp inside the MAC stops replays of old requests).
 */
export const SIGNATURE_HEADER = "candor-signature";
export const EVENT_ID_HEADER = "candor-event-id";

export function signature(secret: string, body: string, at = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

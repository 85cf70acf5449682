import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { CHANNEL_EVENTS, ENDPOINT_CHANNELS } from "#lib/core/channels.ts";
import { notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { LOCALES } from "#lib/core/locales.ts";
import { channelSubscriberInput, channelSubscriberRows, listChannelSubscribers, type ChannelSubscriber } from "#lib/domain/subscribers/channels.ts";

/*
 * Channel subscribers in /api/v1: the resource (host and kind, never the
 * URL or the signing secret, which only the create answer carries), the
 * create body, and the test answer.
 */
const id = z.string().regex(PUBLIC_ID);
const dateTime = z.iso.datetime();

export const channelSubscriberResource = z.object({
  id,
  channel: z.enum(ENDPOINT_CHANNELS),
  host: z.string().meta({ description: "The endpoint's host; the URL itself is never shown after creation." }),
  format: z.enum(["statuspage", "candor"]).nullable().meta({ description: "Generic webhooks only." }),
  events: z.array(z.enum(CHANNEL_EVENTS)),
  components: z.array(id).nullable().meta({ description: "null: all components." }),
  status: z.enum(["active", "quarantined", "pending", "unsubscribed", "bounced", "complained"]),
  contactEmail: z.string().nullable(),
  locale: z.enum(LOCALES).meta({ description: "The language of the chat messages' own words; webhook JSON stays a machine format." }),
  failures: z.number().int().meta({ description: "Failed attempts in a row." }),
  lastError: z.string().nullable(),
  lastResponse: z.string().nullable().meta({ description: "An excerpt of the receiver's last failing answer." }),
  quarantinedAt: dateTime.nullable(),
  createdAt: dateTime,
});

export const channelSubscriberList = z.object({ data: z.array(channelSubscriberResource) });

export const createdChannelSubscriber = channelSubscriberResource.extend({
  secret: z.string().meta({ description: "The signing secret, in this answer only: verify the candor-signature header with it." }),
});

export const createChannelSubscriberBody = channelSubscriberInput;

export const channelTestResult = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable().meta({ description: "The receiver's HTTP status; null when no answer came." }),
  message: z.string().nullable(),
  excerpt: z.string().nullable(),
});

function present(s: ChannelSubscriber): z.output<typeof channelSubscriberResource> {
  return {
    id: s.id,
    channel: s.channel,
    host: s.host,
    format: s.format,
    events: s.events,
    components: s.all_components ? null : s.components,
    status: s.status as z.output<typeof channelSubscriberResource>["status"],
    contactEmail: s.contact_email,
    locale: s.locale,
    failures: s.failures,
    lastError: s.last_error,
    lastResponse: s.last_response,
    quarantinedAt: s.quarantined_at ? new Date(s.quarantined_at).toISOString() : null,
    createdAt: new Date(s.created_at).toISOString(),
  };
}

export async function readChannelSubscribers(db: Db, actor: Actor) {
  return { data: (await listChannelSubscribers(db, actor)).map(present) };
}

/** One, by id (the handler checked the caller's role). */
export async function readChannelSubscriber(reader: Db | Tx, subscriberId: string) {
  if (!PUBLIC_ID.test(subscriberId)) throw notFound("channel subscriber");
  const [found] = await channelSubscriberRows(reader, { id: subscriberId });
  if (!found) throw notFound("channel subscriber");
  return present(found);
}

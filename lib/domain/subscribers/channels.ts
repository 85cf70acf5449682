import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import { CHANNEL_EVENTS, detectChannel, ENDPOINT_CHANNELS, type EndpointChannel } from "#lib/core/channels.ts";
import { AppError, invalidInput, notFound, parseInput } from "#lib/core/errors.ts";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { requireRole, type Actor } from "#lib/domain/actors.ts";
import { write } from "#lib/domain/write.ts";
import { sendConfirmation, tokenSecret } from "./links.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { componentIds, overLimit, setComponents, subscriberEmail, subscriberLocale, validComponents } from "./subscriptions.ts";

/*
 * Channel subscribers added by owners and editors: a webhook, Slack,
 * Discord or Teams URL. The URL (Slack and Discord URLs are credentials)
 * and the signing secret are shown once, when created; afterwards only the
 * host and kind. A quarantined one is re-enabled here.
 */

/** A form's checkboxes arrive comma-joined (formValues); the API sends an array. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v), z.array(item));

const endpointUrl = z
  .string({ error: "must be a URL" })
  .trim()
  .max(2048, "is at most 2048 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL", abort: true }))
  // Refinements may see a string the checks above refused (zod runs them unless a check aborted): parse defensively.
  .refine((url) => !URL.canParse(url) || new URL(url).protocol === "https:" || process.env.CHANNEL_ALLOW_LOOPBACK === "true", "must be an https URL")
  .refine((url) => !URL.canParse(url) || (!new URL(url).username && !new URL(url).password), "must not carry a user name or password");

export const channelSubscriberInput = z.object({
  url: endpointUrl,
  /** Detected from the URL's host when not given. */
  channel: z.enum(ENDPOINT_CHANNELS).optional(),
  /** Generic webhooks only: Statuspage's payload or Candor's own. */
  format: z.enum(["statuspage", "candor"]).default("candor"),
  events: list(z.enum(CHANNEL_EVENTS)).pipe(z.array(z.enum(CHANNEL_EVENTS)).min(1, "choose at least one event")).default(["incident", "maintenance"]),
  /** Empty: all components, including ones added later. */
  components: z.preprocess((v) => (typeof v === "string" ? v.split(",").filter(Boolean) : v), componentIds),
  contactEmail: z.preprocess((v) => (v === "" ? undefined : v), subscriberEmail.optional()),
  /** The language of chat messages' own words (not given: the page's default locale); webhook JSON stays a machine format. */
  locale: subscriberLocale,
});

export interface CreatedChannelSubscriber {
  id: string;
  channel: EndpointChannel;
  host: string;
  /** Shown once: the receiver verifies `candor-signature` with it. */
  secret: string;
}

export async function createChannelSubscriber(db: Db, actor: Actor, input: unknown): Promise<CreatedChannelSubscriber> {
  return write(db, actor, input, {
    role: "editor",
    schema: channelSubscriberInput,
    public: false,
    async change(trx, data) {
      const components = await validComponents(trx, data.components);
      const channel = data.channel ?? detectChannel(data.url);
      const host = new URL(data.url).host;
      const secret = `whsec_${randomBytes(32).toString("base64url")}`;
      const id = publicId();
      const locale = data.locale ?? (await getPage(trx)).default_locale;
      await trx
        .insertInto("subscribers")
        .values({ id, email: null, channel, events: [...new Set(data.events)], status: "active", locale, consent_source: "admin", confirmed_at: new Date() })
        .execute();
      await setComponents(trx, id, components);
      await trx
        .insertInto("subscriber_endpoints")
        .values({ subscriber_id: id, url: data.url, host, format: channel === "webhook" ? data.format : null, secret, contact_email: data.contactEmail ?? null })
        .execute();
      return {
        result: { id, channel, host, secret },
        // The audit names the host and kind, never the URL or the secret.
        audit: { action: "subscriber.channel.create", subjectType: "subscriber", subjectId: id, after: { channel, host, events: data.events } },
      };
    },
  });
}

export const channelListInput = z.object({ status: z.enum(["active", "quarantined"]).optional() });

/** Channel subscribers for the admin and the API: host and kind, never the URL or secret. */
export async function listChannelSubscribers(db: Db, actor: Actor, input: unknown = {}) {
  requireRole(actor, "viewer");
  return channelSubscriberRows(db, parseInput(channelListInput, input));
}

/** The rows behind the list, for callers that checked the role already (the API's answer to a write). */
export async function channelSubscriberRows(db: Db | Tx, data: { status?: "active" | "quarantined"; id?: string }) {
  let query = db
    .selectFrom("subscribers as s")
    .innerJoin("subscriber_endpoints as e", "e.subscriber_id", "s.id")
    .select([
      "s.id",
      "s.channel",
      "s.status",
      "s.events",
      "s.all_components",
      "s.locale",
      "s.created_at",
      "e.host",
      "e.format",
      "e.contact_email",
      "e.failures",
      "e.last_error",
      "e.last_response",
      "e.last_attempt_at",
      "e.quarantined_at",
      (eb) =>
        eb
          .selectFrom("subscriber_components as sc")
          .select((eb2) => eb2.fn.agg<string[]>("array_agg", ["sc.component_id"]).as("ids"))
          .whereRef("sc.subscriber_id", "=", "s.id")
          .as("components"),
    ])
    .where("s.channel", "<>", "email");
  if (data.status) query = query.where("s.status", "=", data.status);
  if (data.id) query = query.where("s.id", "=", data.id);
  const rows = await query.orderBy("s.created_at", "desc").orderBy("s.id").limit(1000).execute();
  return rows.map((r) => ({ ...r, channel: r.channel as EndpointChannel, components: r.components ?? [] }));
}

export type ChannelSubscriber = Awaited<ReturnType<typeof channelSubscriberRows>>[number];

const idInput = z.object({ id: publicIdField("subscriber") });

/** A quarantined subscriber hears again; its failure count starts over, and its contact will be told of a next quarantine. */
export async function reenableChannelSubscriber(db: Db, actor: Actor, input: unknown): Promise<{ id: string }> {
  return write(db, actor, input, {
    role: "editor",
    schema: idInput,
    public: false,
    async change(trx, { id }) {
      const row = await trx
        .updateTable("subscribers")
        .set({ status: "active", updated_at: new Date() })
        .where("id", "=", id)
        .where("channel", "<>", "email")
        .returning("status")
        .executeTakeFirst();
      if (!row) throw notFound("channel subscriber");
      await trx
        .updateTable("subscriber_endpoints")
        .set({ failures: 0, quarantined_at: null, quarantine_notified_at: null })
        .where("subscriber_id", "=", id)
        .execute();
      return { result: { id }, audit: { action: "subscriber.channel.reenable", subjectType: "subscriber", subjectId: id } };
    },
  });
}

/** The endpoint to send a test to (only for the delivery layer's "Send test"). */
export async function endpointFor(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const { id } = parseInput(idInput, input);
  const row = await db
    .selectFrom("subscribers as s")
    .innerJoin("subscriber_endpoints as e", "e.subscriber_id", "s.id")
    .select(["s.id", "s.channel", "s.locale", "e.url", "e.host", "e.format", "e.secret"])
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!row) throw notFound("channel subscriber");
  if (row.channel === "email") throw invalidInput([{ field: "id", message: "is an email subscriber" }]);
  return { ...row, channel: row.channel as EndpointChannel };
}

export const publicChannelInput = z.object({ url: endpointUrl, locale: subscriberLocale });

/*
 * The public subscribe page's channel form: a webhook, Slack, Discord or
 * Teams URL becomes a pending subscriber (incidents and maintenance, all
 * components, Candor's webhook format) and is sent a verification request
 * carrying a confirm link; nothing else goes to it until someone with
 * access to the channel or receiver follows the link. Throttled per IP with
 * the email form's limit.
 */
export async function subscribeChannel(db: Db, input: unknown, context: { ip?: string | null } = {}): Promise<{ channel: EndpointChannel }> {
  const data = parseInput(publicChannelInput, input);
  const ipKey = context.ip ? limitKeyOf(context.ip) : null;
  const secret = await tokenSecret(db);
  return db.transaction().execute(async (trx) => {
    if (ipKey && (await overLimit(trx, "ip", ipKey))) throw new AppError("rate_limited", "too many attempts; try again later");
    if (ipKey) await trx.insertInto("subscribe_attempts").values({ scope: "ip", value: ipKey }).execute();
    const channel = detectChannel(data.url);
    const id = publicId();
    const locale = data.locale ?? (await getPage(trx)).default_locale;
    await trx
      .insertInto("subscribers")
      .values({ id, email: null, channel, locale, consent_source: "form", consent_ip: context.ip ?? null })
      .execute();
    await trx
      .insertInto("subscriber_endpoints")
      .values({
        subscriber_id: id,
        url: data.url,
        host: new URL(data.url).host,
        format: channel === "webhook" ? "candor" : null,
        secret: `whsec_${randomBytes(32).toString("base64url")}`,
      })
      .execute();
    await sendConfirmation(trx, secret, id, channel);
    return { channel };
  });
}

/* The public route's entry point (routes never import db/). */
export const channelSubscriptions = {
  subscribe: async (input: unknown, ip: string | null) => subscribeChannel(await processDb(), input, { ip }),
};

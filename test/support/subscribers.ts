import { randomBytes } from "node:crypto";
import type { Db } from "#db/client.ts";
import type { SubscriberStatus } from "#db/schema.ts";
import { hashSecret } from "#lib/core/secrets.ts";
import { publicId } from "#lib/core/ids.ts";
import { linkToken, tokenSecret } from "#lib/domain/subscribers/links.ts";

/*
 * Bulk creation of already-consented subscribers for tests and benchmarks
 * (10,000+ rows): set-based, one manage token each.
 */
export async function seedActiveSubscribers(
  db: Db,
  list: { email: string; status?: SubscriberStatus; components?: string[] }[],
): Promise<string[]> {
  const secret = await tokenSecret(db);
  const ids: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000).map((s) => ({ ...s, id: publicId() }));
      await trx
        .insertInto("subscribers")
        .values(
          chunk.map((s) => ({
            id: s.id,
            email: s.email.toLowerCase(),
            status: s.status ?? "active",
            all_components: !s.components || s.components.length === 0,
            consent_source: "admin" as const,
            confirmed_at: new Date(),
          })),
        )
        .execute();
      const links = chunk.flatMap((s) => (s.components ?? []).map((component_id) => ({ subscriber_id: s.id, component_id })));
      if (links.length > 0) await trx.insertInto("subscriber_components").values(links).execute();
      const tokens = chunk.map((s) => {
        const id = randomBytes(16).toString("base64url");
        return { id, subscriber_id: s.id, purpose: "manage" as const, token_hash: hashSecret(linkToken(secret, id)) };
      });
      await trx.insertInto("subscriber_tokens").values(tokens).execute();
      ids.push(...chunk.map((s) => s.id));
    }
  });
  return ids;
}

/** Bulk channel subscribers (webhook, Slack, …), active, for tests and benchmarks; set-based like the above. */
export async function seedChannelSubscribers(
  db: Db,
  list: {
    url: string;
    channel: "webhook" | "slack" | "discord" | "teams";
    format?: "statuspage" | "candor";
    events?: ("incident" | "maintenance" | "component")[];
    components?: string[];
    secret?: string;
    contactEmail?: string;
  }[],
): Promise<string[]> {
  const ids: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < list.length; i += 1000) {
      const chunk = list.slice(i, i + 1000).map((s) => ({ ...s, id: publicId() }));
      await trx
        .insertInto("subscribers")
        .values(
          chunk.map((s) => ({
            id: s.id,
            email: null,
            channel: s.channel,
            events: s.events ?? ["incident", "maintenance"],
            status: "active" as const,
            all_components: !s.components || s.components.length === 0,
            consent_source: "admin" as const,
            confirmed_at: new Date(),
          })),
        )
        .execute();
      const links = chunk.flatMap((s) => (s.components ?? []).map((component_id) => ({ subscriber_id: s.id, component_id })));
      if (links.length > 0) await trx.insertInto("subscriber_components").values(links).execute();
      await trx
        .insertInto("subscriber_endpoints")
        .values(
          chunk.map((s) => ({
            subscriber_id: s.id,
            url: s.url,
            host: new URL(s.url).host,
            format: s.channel === "webhook" ? (s.format ?? "candor") : null,
            secret: s.secret ?? `whsec_${randomBytes(24).toString("base64url")}`,
            contact_email: s.contactEmail ?? null,
          })),
        )
        .execute();
      ids.push(...chunk.map((s) => s.id));
    }
  });
  return ids;
}

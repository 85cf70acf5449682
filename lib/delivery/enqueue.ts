import { sql } from "kysely";
import type { Db, Tx } from "#db/client.ts";
import type { ChannelEvent, DeliveryKind, IncidentKind, SendingMode } from "#db/schema.ts";
import { countRecipients } from "#lib/domain/subscribers/admin.ts";
import { BATCH_SIZE } from "./config.ts";
import { getMailSettings, type MailSettings } from "./mail-settings.ts";
import { sendRate } from "./mailer.ts";

/** Seconds to send `recipients` emails at `rate` requests/second in a mode. */
export function deliverySeconds(recipients: number, mode: SendingMode, rate = sendRate()): number {
  const requests = mode === "attach" ? recipients : Math.ceil(recipients / BATCH_SIZE);
  return requests / rate;
}

export function chooseMode(settings: MailSettings, recipients: number, rate = sendRate()): SendingMode {
  if (settings.mode !== "auto") return settings.mode;
  return deliverySeconds(recipients, "attach", rate) <= settings.targetSeconds ? "attach" : "batch";
}

/** For the admin preview: who would get an update on these components, how, and how long it would take. */
export async function estimateDelivery(db: Db, componentIds: string[]) {
  const recipients = await countRecipients(db, componentIds);
  const mode = chooseMode(await getMailSettings(db), recipients);
  return { recipients, mode, seconds: Math.ceil(deliverySeconds(recipients, mode)) };
}

/** Active subscribers of the event following the incident: all-components ones, or ones who chose an affected component. */
function matchingSubscribers(incidentId: string, event: ChannelEvent) {
  return sql`s.status = 'active' and ${event}::text = any(s.events) and (
    s.all_components
    or not exists (select 1 from incident_components ic where ic.incident_id = ${incidentId})
    or exists (
      select 1 from subscriber_components sc
      join incident_components ic on ic.component_id = sc.component_id
      where ic.incident_id = ${incidentId} and sc.subscriber_id = s.id
    ))`;
}

/*
 * Called inside the transaction that posts an update (applyUpdate): older
 * queued deliveries of the same incident to the matching subscribers are
 * superseded, then one delivery per matching subscriber (every channel) is
 * inserted in one statement. Webhook deliveries are never superseded: a
 * receiver keeps a log and must see every event; email and chat messages
 * are read by people, for whom the newest (carrying the status) is enough.
 */
export async function enqueueUpdate(
  trx: Tx,
  incident: { id: string; kind: IncidentKind },
  updateId: string,
): Promise<{ recipients: number; mode: SendingMode }> {
  const kind: DeliveryKind = incident.kind === "maintenance" ? "maintenance" : "incident";
  const event: ChannelEvent = kind;
  // Before inserting, so only the (few) older queued rows of this incident are looked at.
  await sql`
    update deliveries d set status = 'superseded', last_error = 'superseded by a newer update', updated_at = now()
    where d.incident_id = ${incident.id} and d.status = 'queued' and d.kind <> 'confirmation' and d.channel <> 'webhook'
      and exists (select 1 from subscribers s where s.id = d.subscriber_id and ${matchingSubscribers(incident.id, event)})`.execute(trx);
  const { n } = (
    await sql<{ n: number }>`select count(*)::int as n from subscribers s
      where s.channel = 'email' and ${matchingSubscribers(incident.id, event)}`.execute(trx)
  ).rows[0];
  const mode = chooseMode(await getMailSettings(trx), n);
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, channel, incident_id, update_id, mode)
    select s.id, ${kind}::text, s.channel, ${incident.id}::text, ${updateId}::text,
      case when s.channel = 'email' then ${mode}::text else 'attach' end
    from subscribers s
    where ${matchingSubscribers(incident.id, event)}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0), mode };
}

/*
 * A published postmortem, when the editor chose to notify: one notice per
 * matching subscriber, tied to the incident's latest update (its timeline).
 */
export async function enqueuePostmortem(trx: Tx, incident: { id: string }, latestUpdateId: string): Promise<{ recipients: number }> {
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, channel, incident_id, update_id)
    select s.id, 'postmortem', s.channel, ${incident.id}::text, ${latestUpdateId}::text
    from subscribers s
    where ${matchingSubscribers(incident.id, "incident")}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0) };
}

/*
 * A recorded component status change (inside an incident's update or on its
 * own), in the transaction that records it: one delivery per active channel
 * subscriber that chose component events and follows the component. Never
 * superseded: each is one step of the component's history.
 */
export async function enqueueComponentChange(trx: Tx, change: { id: string; componentId: string }): Promise<number> {
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, channel, change_id)
    select s.id, 'component', s.channel, ${change.id}::bigint
    from subscribers s
    where s.status = 'active' and s.channel <> 'email' and 'component' = any(s.events) and (
      s.all_components or exists (
        select 1 from subscriber_components sc where sc.subscriber_id = s.id and sc.component_id = ${change.componentId}))
    on conflict do nothing`.execute(trx);
  return Number(inserted.numAffectedRows ?? 0);
}

/*
 * The idempotency key of a delivery: one per subscriber per update and kind
 * (or per confirmation link, or per component change). Email providers get
 * it as their key; channel receivers as the event id.
 */
export function idempotencyKey(d: {
  kind: DeliveryKind;
  updateId: string | null;
  subscriberId: string;
  tokenId: string | null;
  changeId?: string | null;
}): string {
  if (d.kind === "component") return `k:${d.changeId}:${d.subscriberId}`;
  if (!d.updateId) return `c:${d.tokenId}`;
  return `${d.kind === "postmortem" ? "p" : "u"}:${d.updateId}:${d.subscriberId}`;
}

import { sql } from "kysely";
import type { Db, Tx } from "#db/client.ts";
import type { DeliveryKind, IncidentKind, SendingMode } from "#db/schema.ts";
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

/** Active subscribers following the incident: all-components ones, or ones who chose an affected component. */
function matchingSubscribers(incidentId: string) {
  return sql`s.status = 'active' and (
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
 * superseded, then one delivery per matching subscriber is inserted in one
 * statement.
 */
export async function enqueueUpdate(
  trx: Tx,
  incident: { id: string; kind: IncidentKind },
  updateId: string,
): Promise<{ recipients: number; mode: SendingMode }> {
  const kind: DeliveryKind = incident.kind === "maintenance" ? "maintenance" : "incident";
  // Before inserting, so only the (few) older queued rows of this incident are looked at.
  await sql`
    update deliveries d set status = 'superseded', last_error = 'superseded by a newer update', updated_at = now()
    where d.incident_id = ${incident.id} and d.status = 'queued' and d.kind <> 'confirmation'
      and exists (select 1 from subscribers s where s.id = d.subscriber_id and ${matchingSubscribers(incident.id)})`.execute(trx);
  const { n } = (
    await sql<{ n: number }>`select count(*)::int as n from subscribers s where ${matchingSubscribers(incident.id)}`.execute(trx)
  ).rows[0];
  const mode = chooseMode(await getMailSettings(trx), n);
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, incident_id, update_id, mode)
    select s.id, ${kind}::text, ${incident.id}::text, ${updateId}::text, ${mode}::text
    from subscribers s
    where ${matchingSubscribers(incident.id)}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0), mode };
}

/*
 * A published postmortem, when the editor chose to notify: one notice per
 * matching subscriber, tied to the incident's latest update (its timeline).
 */
export async function enqueuePostmortem(trx: Tx, incident: { id: string }, latestUpdateId: string): Promise<{ recipients: number }> {
  const inserted = await sql`
    insert into deliveries (subscriber_id, kind, incident_id, update_id)
    select s.id, 'postmortem', ${incident.id}::text, ${latestUpdateId}::text
    from subscribers s
    where ${matchingSubscribers(incident.id)}
    on conflict do nothing`.execute(trx);
  return { recipients: Number(inserted.numAffectedRows ?? 0) };
}

/** The provider's idempotency key of a delivery: one per subscriber per update and kind (or per confirmation link). */
export function idempotencyKey(d: { kind: DeliveryKind; updateId: string | null; subscriberId: string; tokenId: string | null }): string {
  if (!d.updateId) return `c:${d.tokenId}`;
  return `${d.kind === "postmortem" ? "p" : "u"}:${d.updateId}:${d.subscriberId}`;
}

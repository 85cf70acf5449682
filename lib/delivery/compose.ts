import type { Db } from "#db/client.ts";
import type { SendingMode } from "#db/schema.ts";
import { personalise, renderConfirmationEmail, renderUpdateEmail } from "#emails/render.tsx";
import type { MailIncident, MailPage, RenderedEmail, TimelineEntry } from "#emails/types.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { CONFIRM_DAYS, confirmUrl, linkToken, subscriberLinks, tokenSecret } from "#lib/domain/subscribers/links.ts";
import type { Claimed } from "./claims.ts";
import { senderAddress, type OutgoingEmail } from "./mailer.ts";

type MailPageRow = MailPage & { from: string };

async function mailPage(db: Db): Promise<MailPageRow> {
  const page = await getPage(db);
  return { name: page.name, url: page.url.replace(/\/+$/, ""), timeZone: page.time_zone, from: senderAddress(page) };
}

/** The data for an update's email: the timeline as it stood when the update was posted, newest first. */
export async function loadUpdateMail(db: Db, updateId: string) {
  const update = await db.selectFrom("incident_updates").selectAll().where("id", "=", updateId).executeTakeFirstOrThrow();
  const incident = await db.selectFrom("incidents").selectAll().where("id", "=", update.incident_id).executeTakeFirstOrThrow();
  const updates = await db
    .selectFrom("incident_updates")
    .selectAll()
    .where("incident_id", "=", incident.id)
    .where("created_at", "<=", update.created_at)
    .orderBy("display_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  const changes =
    updates.length === 0
      ? []
      : await db
          .selectFrom("update_component_changes as c")
          .innerJoin("components as k", "k.id", "c.component_id")
          .select(["c.update_id", "k.name", "c.old_status", "c.new_status"])
          .where(
            "c.update_id",
            "in",
            updates.map((u) => u.id),
          )
          .orderBy("k.position")
          .execute();
  const entries: TimelineEntry[] = updates.map((u) => ({
    id: u.id,
    status: u.status,
    body: u.body,
    displayAt: u.display_at,
    changes: changes.filter((c) => c.update_id === u.id).map((c) => ({ component: c.name, from: c.old_status, to: c.new_status })),
  }));
  // The announced update leads even when it was backfilled to an earlier time.
  const ordered = [entries.find((e) => e.id === updateId)!, ...entries.filter((e) => e.id !== updateId)];
  const mailIncident: MailIncident = {
    id: incident.id,
    reference: incident.reference,
    kind: incident.kind,
    name: incident.name,
    scheduledFor: incident.scheduled_for,
    scheduledUntil: incident.scheduled_until,
    sequence: incident.sequence,
    cancelled: incident.cancelled_at !== null,
    postmortemBody: incident.postmortem_body,
  };
  return { incident: mailIncident, updates: ordered };
}

/*
 * One render per update and mode (cached), personalised per recipient by
 * replacing the link placeholders.
 */
export class EmailComposer {
  private readonly cache = new Map<string, Promise<RenderedEmail>>();
  private page: Promise<MailPageRow> | null = null;
  private pageAt = 0;
  private secret: Promise<string> | null = null;
  constructor(private readonly db: Db) {}

  private template(key: string, make: () => Promise<RenderedEmail>): Promise<RenderedEmail> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = make();
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
      if (this.cache.size > 100) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  async compose(d: Claimed, mode: SendingMode): Promise<OutgoingEmail> {
    // Page settings (name, URL, sender) are re-read every minute in a long-running worker.
    if (!this.page || Date.now() - this.pageAt > 60_000) {
      this.page = mailPage(this.db);
      this.pageAt = Date.now();
    }
    this.secret ??= tokenSecret(this.db);
    const [page, secret] = await Promise.all([this.page, this.secret]);
    if (d.kind === "confirmation") {
      const email = await renderConfirmationEmail(page, confirmUrl(page.url, linkToken(secret, d.tokenId!)), CONFIRM_DAYS);
      return { ...email, from: page.from, to: d.email };
    }
    const reason = d.kind === "postmortem" ? "postmortem" : "update";
    const base = await this.template(`${d.updateId}:${mode}:${reason}`, async () => {
      const { incident, updates } = await loadUpdateMail(this.db, d.updateId!);
      return renderUpdateEmail({ page, incident, updates, reason, mode });
    });
    if (!d.manageTokenId) throw new Error(`subscriber ${d.subscriberId} has no manage link`);
    const links = subscriberLinks(page.url, linkToken(secret, d.manageTokenId));
    return { ...personalise(base, links), from: page.from, to: d.email };
  }
}

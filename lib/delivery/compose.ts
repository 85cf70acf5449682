import type { Db } from "#db/client.ts";
import type { SendingMode } from "#db/schema.ts";
import { personalise, renderConfirmationEmail, renderUpdateEmail } from "#emails/render.tsx";
import type { MailIncident, MailPage, MailUpdate, RenderedEmail } from "#emails/types.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { loadTimeline } from "#lib/domain/timeline.ts";
import { CONFIRM_DAYS, confirmUrl, linkToken, subscriberLinks, tokenSecret } from "#lib/domain/subscribers/links.ts";
import type { Claimed } from "./claims.ts";
import { senderAddress, type OutgoingEmail } from "./mailer.ts";

type MailPageRow = MailPage & { from: string };

async function mailPage(db: Db): Promise<MailPageRow> {
  const page = await getPage(db);
  return { name: page.name, url: pageUrl(page.url), timeZone: page.time_zone, from: senderAddress(page) };
}

/** The data for an update's email: the timeline as it stood when the update was posted, newest first. */
export async function loadUpdateMail(db: Db, updateId: string) {
  const update = await db.selectFrom("incident_updates").select(["incident_id", "created_at", "next_update_due_at"]).where("id", "=", updateId).executeTakeFirstOrThrow();
  const [incident, updates] = await Promise.all([
    db.selectFrom("incidents").selectAll().where("id", "=", update.incident_id).executeTakeFirstOrThrow(),
    loadTimeline(db, update.incident_id, { writtenBy: update.created_at }),
  ]);
  // The announced update leads even when it was backfilled to an earlier time.
  const ordered: MailUpdate[] = [updates.find((u) => u.id === updateId)!, ...updates.filter((u) => u.id !== updateId)];
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
    impact: incident.impact,
    // The promise this update made (a later one's promise arrives with its own email).
    nextUpdateDueAt: update.next_update_due_at,
  };
  return { incident: mailIncident, updates: ordered };
}

/*
 * One render per update, mode and language (cached), personalised per
 * recipient by replacing the link placeholders. A batch mixes languages
 * freely: each of its emails is personalised from its subscriber's render.
 */
export class EmailComposer {
  private readonly cache = new Map<string, Promise<RenderedEmail>>();
  private readonly mails = new Map<string, ReturnType<typeof loadUpdateMail>>();
  private page: Promise<MailPageRow> | null = null;
  private pageAt = 0;
  private secret: Promise<string> | null = null;
  constructor(private readonly db: Db) {}

  /** The timeline is loaded once per update, however many languages it is rendered in. */
  private updateMail(updateId: string): ReturnType<typeof loadUpdateMail> {
    let hit = this.mails.get(updateId);
    if (!hit) {
      hit = loadUpdateMail(this.db, updateId);
      hit.catch(() => this.mails.delete(updateId));
      this.mails.set(updateId, hit);
      if (this.mails.size > 20) this.mails.delete(this.mails.keys().next().value!);
    }
    return hit;
  }

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
      const email = await renderConfirmationEmail(page, d.locale, confirmUrl(page.url, linkToken(secret, d.tokenId!)), CONFIRM_DAYS);
      return { ...email, from: page.from, to: d.email };
    }
    const reason = d.kind === "postmortem" ? "postmortem" : "update";
    const base = await this.template(`${d.updateId}:${mode}:${reason}:${d.locale}`, async () => {
      const { incident, updates } = await this.updateMail(d.updateId!);
      return renderUpdateEmail({ page, locale: d.locale, incident, updates, reason, mode });
    });
    if (!d.manageTokenId) throw new Error(`subscriber ${d.subscriberId} has no manage link`);
    const links = subscriberLinks(page.url, linkToken(secret, d.manageTokenId));
    return { ...personalise(base, links), from: page.from, to: d.email };
  }
}

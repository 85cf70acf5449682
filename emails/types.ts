import type { Impact, IncidentKind } from "#db/schema.ts";
import type { TimelineUpdate } from "#lib/core/timeline.ts";

/* What every email template is given: plain data, already loaded. */

export interface MailPage {
  name: string;
  url: string;
  timeZone: string;
}

/** An update of the timeline, as much of it as an email shows. */
export type MailUpdate = Pick<TimelineUpdate, "id" | "status" | "body" | "display_at" | "changes">;

export interface MailIncident {
  id: string;
  reference: string;
  kind: IncidentKind;
  name: string;
  scheduledFor: Date | null;
  scheduledUntil: Date | null;
  sequence: number;
  cancelled: boolean;
  postmortemBody: string | null;
  /** The public impact; null while not known (the admin's preview of a new incident). */
  impact: Impact | null;
  /** The next update the announced update promised (its incident's cadence), if any. */
  nextUpdateDueAt: Date | null;
}

/** Per-recipient links. Templates are rendered once with placeholders, then personalised. */
export interface MailLinks {
  manage: string;
  unsubscribe: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  attachments: { filename: string; content: string; contentType: string }[];
}

import type { IncidentKind } from "#db/schema.ts";
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

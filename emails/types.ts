import type { ComponentStatus, IncidentKind, UpdateStatus } from "#db/schema.ts";

/* What every email template is given: plain data, already loaded. */

export interface MailPage {
  name: string;
  url: string;
  timeZone: string;
}

export interface TimelineEntry {
  id: string;
  status: UpdateStatus;
  body: string;
  displayAt: Date;
  changes: { component: string; from: ComponentStatus; to: ComponentStatus }[];
}

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

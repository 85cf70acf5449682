import { Resend } from "resend";
import type { Db } from "#db/client.ts";
import type { RenderedEmail } from "#emails/types.ts";
import { publicId } from "#lib/core/ids.ts";

/*
 * Sending one email or a batch. With RESEND_API_KEY: the official SDK (which
 * honours RESEND_BASE_URL, so tests point it at a local server). Without it
 * (the demo): the local outbox table, the emails stored exactly as they
 * would have been sent, with the same idempotency semantics.
 */
export interface OutgoingEmail extends RenderedEmail {
  from: string;
  to: string;
}

export type SendOutcome =
  | { ok: true; ids: string[] }
  | { ok: false; kind: "rate_limited"; retryAfterMs: number; message: string }
  | { ok: false; kind: "transient"; message: string }
  | { ok: false; kind: "permanent"; message: string };

export interface Mailer {
  readonly name: "resend" | "outbox";
  send(email: OutgoingEmail, idempotencyKey: string): Promise<SendOutcome>;
  /** Up to 100 emails in one request; attachments are not carried (as with Resend's batch endpoint). */
  sendBatch(emails: OutgoingEmail[], idempotencyKey: string): Promise<SendOutcome>;
}

const REQUEST_TIMEOUT_MS = Number(process.env.RESEND_TIMEOUT_MS ?? 15_000);

function toApi(email: OutgoingEmail, withAttachments: boolean) {
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: email.headers,
    ...(withAttachments && email.attachments.length > 0
      ? {
          attachments: email.attachments.map((a) => ({
            filename: a.filename,
            content: Buffer.from(a.content, "utf8"),
            contentType: a.contentType,
          })),
        }
      : {}),
  };
}

interface SdkError {
  statusCode?: number | null;
  name?: string;
  message?: string;
}

/** What to do with a failed request, from the provider's answer. */
export function classify(error: SdkError, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode ?? null;
  const message = `${status ?? "network"} ${error.name ?? ""}: ${error.message ?? ""}`.trim();
  if (status === 429) {
    const seconds = Number(headers?.["retry-after"] ?? headers?.["ratelimit-reset"] ?? 1);
    return { ok: false, kind: "rate_limited", retryAfterMs: Math.max(1, Number.isFinite(seconds) ? seconds : 1) * 1000, message };
  }
  // Network errors, timeouts, 5xx and a concurrent request with the same key are worth retrying.
  if (status === null || status >= 500 || error.name === "concurrent_idempotent_requests") {
    return { ok: false, kind: "transient", message };
  }
  return { ok: false, kind: "permanent", message };
}

export function resendMailer(apiKey: string): Mailer {
  const resend = new Resend(apiKey);
  return {
    name: "resend",
    async send(email, idempotencyKey) {
      const { data, error, headers } = await resend.emails.send(toApi(email, true), {
        idempotencyKey,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      } as { idempotencyKey: string });
      if (error || !data) return classify(error ?? {}, headers);
      return { ok: true, ids: [data.id] };
    },
    async sendBatch(emails, idempotencyKey) {
      const { data, error, headers } = await resend.batch.send(
        emails.map((e) => toApi(e, false)),
        { idempotencyKey, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) } as { idempotencyKey: string },
      );
      if (error || !data) return classify(error ?? {}, headers);
      return { ok: true, ids: data.data.map((d) => d.id) };
    },
  };
}

export function outboxMailer(db: Db): Mailer {
  const store = async (email: OutgoingEmail, key: string, withAttachments: boolean) => {
    const row = await db
      .insertInto("outbox_emails")
      .values({
        id: publicId(),
        idempotency_key: key,
        sender: email.from,
        recipient: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: JSON.stringify(email.headers),
        attachments: JSON.stringify(withAttachments ? email.attachments.map(({ filename, content }) => ({ filename, content })) : []),
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .returning("id")
      .executeTakeFirst();
    // Same key again (a retry after a crash): answer with the stored email, as Resend would.
    if (row) return row.id;
    const existing = await db.selectFrom("outbox_emails").select("id").where("idempotency_key", "=", key).executeTakeFirstOrThrow();
    return existing.id;
  };
  return {
    name: "outbox",
    async send(email, idempotencyKey) {
      return { ok: true, ids: [await store(email, idempotencyKey, true)] };
    },
    async sendBatch(emails, idempotencyKey) {
      const ids: string[] = [];
      for (const [i, email] of emails.entries()) ids.push(await store(email, `${idempotencyKey}/${i}`, false));
      return { ok: true, ids };
    },
  };
}

/*
 * Links that carry a credential: confirm, manage and unsubscribe links (a
 * subscriber's token) and invites (an admin account). Whoever reads the
 * local outbox below owner sees them redacted, and invites are stored
 * redacted (the owner who made one was shown the link). Besides those
 * paths, any run long enough to be a 256-bit token (43 characters in
 * base64url) goes too.
 */
const TOKEN_IN_LINK = /(\/(?:confirm|manage|unsubscribe|invite)\/)[^/\s"'<>?#&]+/g;
const TOKEN_LIKE = /[A-Za-z0-9_-]{40,}/g;

export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_LINK, "$1redacted").replace(TOKEN_LIKE, "redacted");
}

type EmailContent = {
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  attachments: { content: string }[];
};

/** An email (as rendered or as stored in the outbox) with every token redacted. */
export function redactEmail<T extends EmailContent>(email: T): T {
  return {
    ...email,
    subject: redactTokens(email.subject),
    html: email.html === null ? null : redactTokens(email.html),
    text: email.text === null ? null : redactTokens(email.text),
    headers: Object.fromEntries(Object.entries(email.headers).map(([k, v]) => [k, redactTokens(v)])),
    attachments: email.attachments.map((a) => ({ ...a, content: redactTokens(a.content) })),
  };
}

/** The mailer this process sends with. */
export function createMailer(db: Db): Mailer {
  const key = process.env.RESEND_API_KEY;
  return key ? resendMailer(key) : outboxMailer(db);
}

/** Requests per second the provider allows (shared by all workers). */
export function sendRate(): number {
  const rate = Number(process.env.RESEND_RATE_LIMIT ?? 2);
  return Number.isFinite(rate) && rate > 0 ? rate : 2;
}

export function senderAddress(page: { name: string; url: string; sender_email: string | null }): string {
  const address = page.sender_email ?? process.env.MAIL_FROM ?? `status@${new URL(page.url).hostname}`;
  return `${page.name.replace(/["<>]/g, "")} <${address}>`;
}

import { Resend } from "resend";
import { db as processDb, type Db } from "#db/client.ts";
import { markUndeliverable } from "#lib/domain/subscribers/subscriptions.ts";

export interface ResendEvent {
  type: string;
  data: { email_id?: string; to?: string[] | string; bounce?: { type?: string } };
}

/*
 * A Resend webhook event: bounces and complaints stop all mail to the
 * address and mark the delivery. Transient (soft) bounces change nothing.
 */
export async function applyResendEvent(db: Db, event: ResendEvent): Promise<"stopped" | "ignored"> {
  const reason = event.type === "email.bounced" ? "bounced" : event.type === "email.complained" ? "complained" : null;
  if (!reason || (reason === "bounced" && /transient/i.test(event.data.bounce?.type ?? ""))) return "ignored";
  const recipients = Array.isArray(event.data.to) ? event.data.to : event.data.to ? [event.data.to] : [];
  for (const address of recipients) await markUndeliverable(db, address, reason);
  if (event.data.email_id) {
    await db
      .updateTable("deliveries")
      .set({ status: "bounced", last_error: event.type, updated_at: new Date() })
      .where("resend_id", "=", event.data.email_id)
      .execute();
  }
  return "stopped";
}

/** Verifies a webhook's Svix-style signature (RESEND_WEBHOOK_SECRET) and applies it. */
export async function receiveResendWebhook(raw: string, headers: Headers, db?: Db): Promise<{ status: number; message: string }> {
  const secret = process.env.RESEND_WEBHOOK_SECRET;
  if (!secret) return { status: 503, message: "webhooks are not configured (RESEND_WEBHOOK_SECRET)" };
  let event: ResendEvent;
  try {
    // Only the verifier is used; it needs no API key, but the SDK's constructor wants one.
    event = new Resend(process.env.RESEND_API_KEY || "re_webhook_verification_only").webhooks.verify({
      payload: raw,
      headers: {
        id: headers.get("svix-id") ?? headers.get("webhook-id") ?? "",
        timestamp: headers.get("svix-timestamp") ?? headers.get("webhook-timestamp") ?? "",
        signature: headers.get("svix-signature") ?? headers.get("webhook-signature") ?? "",
      },
      webhookSecret: secret,
    }) as ResendEvent;
  } catch {
    return { status: 401, message: "invalid signature" };
  }
  const outcome = await applyResendEvent(db ?? (await processDb()), event);
  return { status: 200, message: outcome };
}

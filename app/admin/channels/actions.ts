"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { ignoreRefusal, type FormState } from "#lib/core/forms.ts";
import { sendTestMessage } from "#lib/delivery/channel-send.ts";
import { deleteSubscriber } from "#lib/domain/subscribers/admin.ts";
import { createChannelSubscriber, reenableChannelSubscriber } from "#lib/domain/subscribers/channels.ts";
import { formWrite } from "../form-write.ts";

export interface CreatedChannelState extends FormState {
  /** The signing secret: in this one response only. */
  secret?: string;
}

export async function createChannel(_state: CreatedChannelState, form: FormData): Promise<CreatedChannelState> {
  return formWrite(
    await requireSession("editor"),
    form,
    async ({ db, actor }, values) => {
      const created = await createChannelSubscriber(db, actor, { ...values, channel: values.channel || undefined });
      return { ok: true, secret: created.secret, message: `Added a ${created.channel} subscriber on ${created.host}.` };
    },
    { contactEmail: "contactEmail" },
  );
}

export async function removeChannel(form: FormData): Promise<void> {
  const { actor, db } = await requireSession("editor");
  await deleteSubscriber(db, actor, { id: String(form.get("id") ?? "") }).catch(ignoreRefusal);
  refresh();
}

export async function reenableChannel(form: FormData): Promise<void> {
  const { actor, db } = await requireSession("editor");
  await reenableChannelSubscriber(db, actor, { id: String(form.get("id") ?? "") }).catch(ignoreRefusal);
  refresh();
}

export interface TestState {
  ok?: boolean;
  message?: string;
}

/** Sends a test event now and shows what the receiver answered. */
export async function sendTest(_state: TestState, form: FormData): Promise<TestState> {
  const { actor, db } = await requireSession("editor");
  try {
    const outcome = await sendTestMessage(db, actor, { id: String(form.get("id") ?? "") });
    if (outcome.ok) return { ok: true, message: `Answered ${outcome.status}${outcome.excerpt ? `: ${outcome.excerpt}` : ""}` };
    return { ok: false, message: outcome.excerpt && !outcome.message.includes(outcome.excerpt) ? `${outcome.message} — ${outcome.excerpt}` : outcome.message };
  } catch (error) {
    ignoreRefusal(error);
    return { ok: false, message: (error as Error).message };
  }
}

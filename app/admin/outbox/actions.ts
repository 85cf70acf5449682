"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { retryFailed } from "#lib/delivery/outbox.ts";
import { updateMailSettings } from "#lib/delivery/mail-settings.ts";
import { ignoreRefusal, type FormState } from "#lib/core/forms.ts";
import { formWrite } from "../form-write.ts";

export async function retryFailedAction(form: FormData): Promise<void> {
  const { actor, db } = await requireSession("editor");
  const updateId = String(form.get("updateId") ?? "");
  await retryFailed(db, actor, updateId ? { updateId } : {}).catch(ignoreRefusal);
  refresh();
}

export async function mailSettingsAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    await updateMailSettings(db, actor, values);
    return { ok: true, message: "Saved." };
  });
}

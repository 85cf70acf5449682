"use server";

import { refresh } from "next/cache";
import { createApiKey, revokeApiKey } from "#lib/domain/api-keys.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { ignoreRefusal, type FormState } from "#lib/core/forms.ts";
import { formWrite } from "../form-write.ts";

export interface CreatedKeyState extends FormState {
  /** The new key's secret: in this one response only, never stored in clear. */
  token?: string;
}

export async function createKey(_state: CreatedKeyState, form: FormData): Promise<CreatedKeyState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    const { key, token } = await createApiKey(db, actor, values);
    return { ok: true, token, message: `Created “${key.name}” (${key.scope}).` };
  });
}

export async function revokeKey(form: FormData): Promise<void> {
  const { actor, db } = await requireSession("owner");
  await revokeApiKey(db, actor, { id: form.get("id") }).catch(ignoreRefusal);
  refresh();
}

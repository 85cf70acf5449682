"use server";

import type { FormState } from "#lib/core/forms.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { updateEmbedConfig } from "#lib/domain/embed-config.ts";
import { formWrite } from "../form-write.ts";

export async function saveEmbedConfigAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    await updateEmbedConfig(db, actor, {
      position: values.position,
      incident_background_color: values.incident_background_color,
      incident_text_color: values.incident_text_color,
      maintenance_background_color: values.maintenance_background_color,
      maintenance_text_color: values.maintenance_text_color,
    });
    return { ok: true, message: "Embed settings saved.", values };
  });
}

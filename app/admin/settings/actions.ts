"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import { updatePageSettings } from "#lib/domain/page-settings.ts";
import { SEVERITIES } from "#lib/core/statuses.ts";

export async function saveSettingsAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("owner");
  const values = formValues(form);
  // A blank cadence means "no promised next update" for that severity.
  const cadenceMinutes = Object.fromEntries(
    SEVERITIES.map((s) => [s, values[`cadence.${s}`]?.trim() ? Number(values[`cadence.${s}`]) : null]),
  );
  try {
    await updatePageSettings(db, actor, {
      name: values.name,
      url: values.url,
      timeZone: values.timeZone,
      supportUrl: values.supportUrl,
      logoUrl: values.logoUrl,
      senderEmail: values.senderEmail,
      cadenceMinutes,
    });
    refresh();
    return { ok: true, message: "Settings saved.", values };
  } catch (error) {
    return failedState(error, values, Object.fromEntries(SEVERITIES.map((s) => [`cadenceMinutes.${s}`, `cadence.${s}`])));
  }
}

"use server";

import type { FormState } from "#lib/core/forms.ts";
import { TARGET_KINDS, TARGET_UNITS } from "#lib/core/milestones.ts";
import { setDigest } from "#lib/domain/digests.ts";
import { updatePageSettings, updateTargets } from "#lib/domain/page-settings.ts";
import { SEVERITIES } from "#lib/core/statuses.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { formWrite } from "../form-write.ts";

export async function saveSettingsAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(
    await requireSession("owner"),
    form,
    async ({ db, actor }, values) => {
      // A blank cadence means "no promised next update" for that severity.
      const cadenceMinutes = Object.fromEntries(
        SEVERITIES.map((s) => [s, values[`cadence.${s}`]?.trim() ? Number(values[`cadence.${s}`]) : null]),
      );
      await updatePageSettings(db, actor, {
        name: values.name,
        url: values.url,
        timeZone: values.timeZone,
        supportUrl: values.supportUrl,
        logoUrl: values.logoUrl,
        senderEmail: values.senderEmail,
        cadenceMinutes,
        // An unticked checkbox sends nothing.
        reportsEnabled: values.reportsEnabled === "on",
        reportsChallenge: values.reportsChallenge === "on",
        defaultLocale: values.defaultLocale,
        // Ticked checkboxes, comma-joined; none ticked sends nothing, which is refused (one language at least).
        locales: (values.locales ?? "").split(",").filter(Boolean),
      });
      return { ok: true, message: "Settings saved.", values };
    },
    Object.fromEntries(SEVERITIES.map((s) => [`cadenceMinutes.${s}`, `cadence.${s}`])),
  );
}

/* Each target in its form unit (TARGET_UNITS), stored in minutes. Blank: no target. */
export async function saveTargetsAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(
    await requireSession("owner"),
    form,
    async ({ db, actor }, values) => {
      const number = (raw: string | undefined, scale: number) => (raw?.trim() ? Number(raw) * scale : null);
      const targets = Object.fromEntries(
        SEVERITIES.map((s) => [s, Object.fromEntries(TARGET_KINDS.map((k) => [k, number(values[`target.${s}.${k}`], TARGET_UNITS[k].minutes)]))]),
      );
      await updateTargets(db, actor, { targets });
      return { ok: true, message: "Targets saved.", values };
    },
    Object.fromEntries(SEVERITIES.flatMap((s) => TARGET_KINDS.map((k) => [`targets.${s}.${k}`, `target.${s}.${k}`]))),
  );
}

/* The signed-in owner's own monthly reliability digest (an unticked checkbox sends nothing). */
export async function saveDigestAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    const enabled = await setDigest(db, actor, { enabled: values.digest === "on" });
    return { ok: true, message: enabled ? "You will get the digest on the 1st of each month." : "Digest off.", values };
  });
}

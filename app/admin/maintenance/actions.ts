"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, zonedDateTime, type FormState } from "#lib/core/forms.ts";
import { placeholderList } from "#lib/core/placeholders.ts";
import { scheduleDraft } from "#lib/domain/drafts.ts";
import { cancelMaintenance, rescheduleMaintenance } from "#lib/domain/maintenance.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formWrite } from "../form-write.ts";

/** The form field that can fill each placeholder; the rest can only be fixed in the template. */
function unfilledField(placeholder: string): string {
  return placeholder === "components" || placeholder === "description" ? placeholder : "templateId";
}

export async function scheduleAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  const page = await getPage(db);
  try {
    const scheduled = await scheduleDraft(db, actor, {
      templateId: values.templateId,
      name: values.name,
      description: values.description,
      components: form.getAll("components").map(String),
      scheduledFor: zonedDateTime(values.scheduledFor, page.time_zone),
      scheduledUntil: zonedDateTime(values.scheduledUntil, page.time_zone),
      remindPrior: values.remindPrior === "on",
      notify: values.notify === "on",
    });
    if ("unfilled" in scheduled) {
      const errors = Object.fromEntries(scheduled.unfilled.map((m) => [unfilledField(m), `must be filled: {{${m}}}`]));
      return { errors, values, message: `Not scheduled: fill ${placeholderList(scheduled.unfilled)} first.` };
    }
    refresh();
    return { ok: true, message: `Scheduled “${scheduled.title}”.` };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function rescheduleAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    const page = await getPage(db);
    await rescheduleMaintenance(db, actor, {
      incidentId: values.incidentId,
      scheduledFor: zonedDateTime(values.scheduledFor, page.time_zone) ?? values.scheduledFor,
      scheduledUntil: zonedDateTime(values.scheduledUntil, page.time_zone) ?? values.scheduledUntil,
    });
    return { ok: true, message: "Rescheduled.", values };
  });
}

export async function cancelAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await cancelMaintenance(db, actor, { incidentId: values.incidentId, notify: values.notify === "on" });
    return { ok: true, message: "Cancelled." };
  });
}

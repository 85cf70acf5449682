"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents } from "#lib/domain/components.ts";
import { failedState, formValues, zonedDateTime, type FormState } from "#lib/core/forms.ts";
import { cancelMaintenance, rescheduleMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { composeUpdate, listTemplates } from "#lib/domain/templates.ts";
import { formatDateTime } from "#lib/core/time.ts";

export async function scheduleAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  const page = await getPage(db);
  const componentIds = form.getAll("components").map(String);
  const scheduledFor = zonedDateTime(values.scheduledFor, page.time_zone);
  const scheduledUntil = zonedDateTime(values.scheduledUntil, page.time_zone);
  const errors: Record<string, string> = {};
  if (!scheduledFor) errors.scheduledFor = "must be a date and time";
  if (!scheduledUntil) errors.scheduledUntil = "must be a date and time";
  const template = (await listTemplates(db)).find((t) => t.id === values.templateId);
  if (!template) errors.templateId = "is required";
  if (Object.keys(errors).length > 0) return { errors, values, message: "Please fix the highlighted fields." };
  const all = await listComponents(db);
  const composed = composeUpdate({
    title: values.name || template!.title,
    body: template!.body,
    values: {
      description: values.description,
      start: formatDateTime(scheduledFor!, page.time_zone),
      end: formatDateTime(scheduledUntil!, page.time_zone),
    },
    componentNames: all.filter((c) => componentIds.includes(c.id)).map((c) => c.name),
  });
  if (composed.missing.length > 0) {
    const missing = Object.fromEntries(
      composed.missing.map((m) => [m === "components" ? "components" : m === "description" ? "description" : "templateId", `must be filled: {{${m}}}`]),
    );
    return { errors: missing, values, message: `Not scheduled: fill ${composed.missing.map((m) => `{{${m}}}`).join(", ")} first.` };
  }
  try {
    await scheduleMaintenance(db, actor, {
      name: composed.title,
      body: composed.body,
      components: componentIds,
      scheduledFor,
      scheduledUntil,
      remindPrior: values.remindPrior === "on",
      notify: values.notify === "on",
    });
    refresh();
    return { ok: true, message: `Scheduled “${composed.title}”.` };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function rescheduleAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  const page = await getPage(db);
  try {
    await rescheduleMaintenance(db, actor, {
      incidentId: values.incidentId,
      scheduledFor: zonedDateTime(values.scheduledFor, page.time_zone) ?? values.scheduledFor,
      scheduledUntil: zonedDateTime(values.scheduledUntil, page.time_zone) ?? values.scheduledUntil,
    });
    refresh();
    return { ok: true, message: "Rescheduled.", values };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function cancelAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  try {
    await cancelMaintenance(db, actor, { incidentId: values.incidentId, notify: values.notify === "on" });
    refresh();
    return { ok: true, message: "Cancelled." };
  } catch (error) {
    return failedState(error, values);
  }
}

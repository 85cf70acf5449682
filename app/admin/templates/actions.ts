"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import { createTemplate, deleteTemplate, editTemplate } from "#lib/domain/templates.ts";

/* "kind:status" in one select keeps the form simple and the pair consistent. */
function template(values: Record<string, string>) {
  const [kind, status] = (values.kindStatus ?? "").split(":");
  return { kind, status, name: values.name, title: values.title ?? "", body: values.body };
}

export async function createTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  try {
    await createTemplate(db, actor, template(values));
    refresh();
    return { ok: true, message: "Template created." };
  } catch (error) {
    return failedState(error, values, { kind: "kindStatus", status: "kindStatus" });
  }
}

export async function editTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  try {
    await editTemplate(db, actor, { id: values.id, ...template(values) });
    refresh();
    return { ok: true, message: "Saved.", values };
  } catch (error) {
    return failedState(error, values, { kind: "kindStatus", status: "kindStatus" });
  }
}

export async function deleteTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  try {
    await deleteTemplate(db, actor, { id: values.id });
    refresh();
    return { ok: true, message: "Deleted." };
  } catch (error) {
    return failedState(error, values);
  }
}

"use server";

import type { FormState } from "#lib/core/forms.ts";
import { createTemplate, deleteTemplate, editTemplate } from "#lib/domain/templates.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { formWrite } from "../form-write.ts";

/* "kind:status" in one select keeps the form simple and the pair consistent. */
function template(values: Record<string, string>) {
  const [kind, status] = (values.kindStatus ?? "").split(":");
  return { kind, status, name: values.name, title: values.title ?? "", body: values.body };
}
const KIND_STATUS_FIELDS = { kind: "kindStatus", status: "kindStatus" };

export async function createTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(
    await requireSession("editor"),
    form,
    async ({ db, actor }, values) => {
      await createTemplate(db, actor, template(values));
      return { ok: true, message: "Template created." };
    },
    KIND_STATUS_FIELDS,
  );
}

export async function editTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(
    await requireSession("editor"),
    form,
    async ({ db, actor }, values) => {
      await editTemplate(db, actor, { id: values.id, ...template(values) });
      return { ok: true, message: "Saved.", values };
    },
    KIND_STATUS_FIELDS,
  );
}

export async function deleteTemplateAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await deleteTemplate(db, actor, { id: values.id });
    return { ok: true, message: "Deleted." };
  });
}

"use server";

import { requireSession } from "../../../lib/auth.ts";
import {
  archiveComponent,
  archiveGroup,
  changeComponentStatus,
  createComponent,
  createGroup,
  editComponent,
  editGroup,
  moveItem,
} from "../../../lib/components.ts";
import { failedState, formValues, type FormState } from "../../../lib/forms.ts";

type Write = (values: Record<string, string>) => Promise<unknown>;

/* Every component form has the same shape: editor role, the write, errors by field. */
async function run(form: FormData, write: (db: Awaited<ReturnType<typeof requireSession>>) => Write, done: string): Promise<FormState> {
  const session = await requireSession("editor");
  const values = formValues(form);
  try {
    await write(session)(values);
    return { ok: true, message: done };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function createComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(
    form,
    ({ db, actor }) =>
      (v) =>
        createComponent(db, actor, {
          name: v.name,
          description: v.description || null,
          groupId: v.groupId || null,
          onlyShowIfDegraded: v.onlyShowIfDegraded === "on",
        }),
    "Component created.",
  );
}

export async function createGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(form, ({ db, actor }) => (v) => createGroup(db, actor, { name: v.name, description: v.description || null }), "Group created.");
}

export async function editComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(
    form,
    ({ db, actor }) =>
      (v) =>
        editComponent(db, actor, {
          id: v.id,
          name: v.name,
          description: v.description || null,
          groupId: v.groupId || null,
          onlyShowIfDegraded: v.onlyShowIfDegraded === "on",
        }),
    "Saved.",
  );
}

export async function editGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(form, ({ db, actor }) => (v) => editGroup(db, actor, { id: v.id, name: v.name, description: v.description || null }), "Saved.");
}

export async function setStatusAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(form, ({ db, actor }) => (v) => changeComponentStatus(db, actor, { componentId: v.id, status: v.status }), "Status set.");
}

export async function moveAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(form, ({ db, actor }) => (v) => moveItem(db, actor, { kind: v.kind, id: v.id, direction: v.direction }), "Moved.");
}

export async function archiveAction(_state: FormState, form: FormData): Promise<FormState> {
  return run(
    form,
    ({ db, actor }) =>
      (v) =>
        v.kind === "group" ? archiveGroup(db, actor, { id: v.id }) : archiveComponent(db, actor, { id: v.id }),
    "Archived.",
  );
}

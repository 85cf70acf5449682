"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import {
  archiveComponent,
  archiveGroup,
  changeComponentStatus,
  createComponent,
  createGroup,
  editComponent,
  editGroup,
  moveItem,
} from "#lib/domain/components.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";

/* Every component form ends the same way: success message, or errors by field with the values kept. */
async function settle(values: Record<string, string>, write: () => Promise<unknown>, done: string): Promise<FormState> {
  try {
    await write();
    refresh();
    return { ok: true, message: done };
  } catch (error) {
    return failedState(error, values);
  }
}

function componentFields(v: Record<string, string>) {
  return { name: v.name, description: v.description || null, groupId: v.groupId || null, onlyShowIfDegraded: v.onlyShowIfDegraded === "on" };
}

export async function createComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => createComponent(db, actor, componentFields(v)), "Component created.");
}

export async function createGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => createGroup(db, actor, { name: v.name, description: v.description || null }), "Group created.");
}

export async function editComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => editComponent(db, actor, { id: v.id, ...componentFields(v) }), "Saved.");
}

export async function editGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => editGroup(db, actor, { id: v.id, name: v.name, description: v.description || null }), "Saved.");
}

export async function setStatusAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => changeComponentStatus(db, actor, { componentId: v.id, status: v.status }), "Status set.");
}

export async function moveAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => moveItem(db, actor, { kind: v.kind, id: v.id, direction: v.direction }), "Moved.");
}

export async function archiveAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const v = formValues(form);
  return settle(v, () => (v.kind === "group" ? archiveGroup(db, actor, { id: v.id }) : archiveComponent(db, actor, { id: v.id })), "Archived.");
}

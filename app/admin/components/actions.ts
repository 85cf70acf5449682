"use server";

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
import type { FormState } from "#lib/core/forms.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { formWrite, type Session } from "../form-write.ts";

/* Every component form ends the same way: a short success message (the form clears). */
function settle(
  session: Session,
  form: FormData,
  done: string,
  write: (session: Session, v: Record<string, string>) => Promise<unknown>,
): Promise<FormState> {
  return formWrite(session, form, async (session, v) => {
    await write(session, v);
    return { ok: true, message: done };
  });
}

function componentFields(v: Record<string, string>) {
  return { name: v.name, description: v.description || null, groupId: v.groupId || null, onlyShowIfDegraded: v.onlyShowIfDegraded === "on" };
}

export async function createComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Component created.", ({ db, actor }, v) => createComponent(db, actor, componentFields(v)));
}

export async function createGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Group created.", ({ db, actor }, v) => createGroup(db, actor, { name: v.name, description: v.description || null }));
}

export async function editComponentAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Saved.", ({ db, actor }, v) => editComponent(db, actor, { id: v.id, ...componentFields(v) }));
}

export async function editGroupAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Saved.", ({ db, actor }, v) => editGroup(db, actor, { id: v.id, name: v.name, description: v.description || null }));
}

export async function setStatusAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Status set.", ({ db, actor }, v) => changeComponentStatus(db, actor, { componentId: v.id, status: v.status }));
}

export async function moveAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Moved.", ({ db, actor }, v) => moveItem(db, actor, { kind: v.kind, id: v.id, direction: v.direction }));
}

export async function archiveAction(_state: FormState, form: FormData): Promise<FormState> {
  const session = await requireSession("editor");
  return settle(session, form, "Archived.", ({ db, actor }, v) =>
    v.kind === "group" ? archiveGroup(db, actor, { id: v.id }) : archiveComponent(db, actor, { id: v.id }),
  );
}

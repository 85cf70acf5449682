"use server";

import { refresh } from "next/cache";
import { headers } from "next/headers";
import { createInvite, emailInvite, revokeInvite, setUserActive, setUserRole } from "#lib/domain/admin-users.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { addressedOrigin } from "#lib/http/client-ip.ts";

export async function inviteAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("owner");
  const values = formValues(form);
  try {
    const { path, invite } = await createInvite(db, actor, { email: values.email, role: values.role, hours: values.hours || undefined });
    // The link is shown once, to pass on; only its hash is stored.
    // The origin the owner is using (a trusted proxy's forwarded host and protocol), else the page's URL.
    const base = addressedOrigin(await headers(), (await getPage(db)).url);
    const emailed = await emailInvite(db, invite, `${base}${path}`).catch(() => false);
    refresh();
    return {
      ok: true,
      message: `Invite for ${invite.email} (${invite.role}) ${emailed ? "emailed" : "not emailed (sending failed)"} — you can also pass this link on, it works once: ${base}${path}`,
    };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function revokeInviteAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("owner");
  const values = formValues(form);
  try {
    await revokeInvite(db, actor, { id: values.id });
    refresh();
    return { ok: true, message: "Invite revoked." };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function setRoleAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("owner");
  const values = formValues(form);
  try {
    await setUserRole(db, actor, { userId: values.userId, role: values.role });
    refresh();
    return { ok: true, message: "Role changed.", values };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function setActiveAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("owner");
  const values = formValues(form);
  try {
    const user = await setUserActive(db, actor, { userId: values.userId, active: values.active === "true" });
    refresh();
    return { ok: true, message: user.banned ? `Access removed for ${user.email}.` : `Access restored for ${user.email}.` };
  } catch (error) {
    return failedState(error, values);
  }
}

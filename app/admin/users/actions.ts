"use server";

import { headers } from "next/headers";
import { createInvite, emailInvite, revokeInvite, setUserActive, setUserRole } from "#lib/domain/admin-users.ts";
import type { FormState } from "#lib/core/forms.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { addressedOrigin } from "#lib/http/client-ip.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { formWrite } from "../form-write.ts";

export async function inviteAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    const { path, invite } = await createInvite(db, actor, { email: values.email, role: values.role, hours: values.hours || undefined });
    // The link is shown once, to pass on; only its hash is stored.
    // The origin the owner is using (a trusted proxy's forwarded host and protocol), else the page's URL.
    const base = addressedOrigin(await headers(), (await getPage(db)).url);
    const emailed = await emailInvite(db, invite, `${base}${path}`).catch(() => false);
    return {
      ok: true,
      message: `Invite for ${invite.email} (${invite.role}) ${emailed ? "emailed" : "not emailed (sending failed)"} — you can also pass this link on, it works once: ${base}${path}`,
    };
  });
}

export async function revokeInviteAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    await revokeInvite(db, actor, { id: values.id });
    return { ok: true, message: "Invite revoked." };
  });
}

export async function setRoleAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    await setUserRole(db, actor, { userId: values.userId, role: values.role });
    return { ok: true, message: "Role changed.", values };
  });
}

export async function setActiveAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    const user = await setUserActive(db, actor, { userId: values.userId, active: values.active === "true" });
    return { ok: true, message: user.banned ? `Access removed for ${user.email}.` : `Access restored for ${user.email}.` };
  });
}

"use server";

import { redirect } from "next/navigation";
import { redeemInvite } from "#lib/domain/admin-users.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";

/* Public by design: the invite token is the credential, and it works once. */
export async function acceptInviteAction(_state: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  try {
    await redeemInvite({ token: values.token, name: values.name, password: values.password });
  } catch (error) {
    return failedState(error, { token: values.token, name: values.name ?? "" });
  }
  redirect("/admin/sign-in");
}

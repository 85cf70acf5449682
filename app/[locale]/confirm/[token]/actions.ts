"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { pathInFormLocale } from "#lib/http/page-locale.ts";

export async function confirmAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  let manageToken: string | null;
  try {
    ({ manageToken } = await subscriptions.confirm(token));
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
  // A channel has no manage page: its owner lands back on the subscribe page, told it is confirmed.
  redirect(await pathInFormLocale(form, manageToken ? `/manage/${manageToken}?confirmed=1` : "/subscribe?result=confirmed"));
}

"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { pathInFormLocale } from "#lib/http/page-locale.ts";

export async function unsubscribeAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  try {
    await subscriptions.unsubscribe(token);
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
  redirect(await pathInFormLocale(form, `/unsubscribe/${token}?done=1`));
}

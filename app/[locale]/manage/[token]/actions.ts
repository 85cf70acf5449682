"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { pathInFormLocale } from "#lib/http/page-locale.ts";

/* A link that is not valid answers 404; a choice that is no component goes back to the form, nothing changed. */
export async function saveComponentsAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  try {
    await subscriptions.update(token, { components: form.getAll("components").map(String), locale: form.get("locale") ?? undefined });
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    if (isAppError(error, "invalid_input")) redirect(await pathInFormLocale(form, `/manage/${token}?error=components`));
    throw error;
  }
  redirect(await pathInFormLocale(form, `/manage/${token}?saved=1`));
}

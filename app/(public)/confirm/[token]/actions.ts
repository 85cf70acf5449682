"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";

export async function confirmAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  let manageToken: string;
  try {
    ({ manageToken } = await subscriptions.confirm(token));
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
  redirect(`/manage/${manageToken}?confirmed=1`);
}

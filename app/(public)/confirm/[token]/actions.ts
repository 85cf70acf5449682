"use server";

import { notFound, redirect } from "next/navigation";
import { NotFoundError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";

export async function confirmAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  let manageToken: string;
  try {
    ({ manageToken } = await subscriptions.confirm(token));
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  redirect(`/manage/${manageToken}?confirmed=1`);
}

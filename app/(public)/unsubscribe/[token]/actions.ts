"use server";

import { notFound, redirect } from "next/navigation";
import { NotFoundError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";

export async function unsubscribeAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  try {
    await subscriptions.unsubscribe(token);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  redirect(`/unsubscribe/${token}?done=1`);
}

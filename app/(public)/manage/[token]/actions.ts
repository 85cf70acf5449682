"use server";

import { redirect } from "next/navigation";
import { subscriptions } from "../../../../lib/subscribers.ts";

export async function saveComponentsAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  await subscriptions.update(token, { components: form.getAll("components").map(String) });
  redirect(`/manage/${token}?saved=1`);
}

"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { clientIp } from "#lib/http/client-ip.ts";
import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { channelSubscriptions } from "#lib/domain/subscribers/channels.ts";
import { pathInFormLocale } from "#lib/http/page-locale.ts";

/*
 * The same answer, in the same time, whether or not the address is known:
 * "check your inbox". What differs (enrolling a new address, mailing the
 * confirmation) runs after the answer is sent.
 */
export async function subscribeAction(form: FormData): Promise<void> {
  const input = { email: String(form.get("email") ?? ""), components: form.getAll("components").map(String), locale: form.get("locale") ?? undefined };
  let outcome = "sent";
  try {
    await subscriptions.subscribe(input, clientIp(await headers()), after);
  } catch (error) {
    if (isAppError(error, "invalid_input")) outcome = "invalid";
    else if (isAppError(error, "rate_limited")) outcome = "limited";
    else throw error;
  }
  redirect(await pathInFormLocale(form, `/subscribe?result=${outcome}`));
}

/* A channel URL: the verification request goes out through the outbox; the answer names no more than the outcome. */
export async function subscribeChannelAction(form: FormData): Promise<void> {
  let outcome = "channel-sent";
  try {
    await channelSubscriptions.subscribe({ url: String(form.get("url") ?? ""), locale: form.get("locale") ?? undefined }, clientIp(await headers()));
  } catch (error) {
    if (isAppError(error, "invalid_input")) outcome = "channel-invalid";
    else if (isAppError(error, "rate_limited")) outcome = "limited";
    else throw error;
  }
  redirect(await pathInFormLocale(form, `/subscribe?result=${outcome}`));
}

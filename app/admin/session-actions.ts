"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth, requireActor } from "#lib/auth/sessions.ts";

export async function signOut(): Promise<void> {
  await requireActor("viewer");
  const h = await headers();
  const auth = await getAuth(h);
  await auth.api.signOut({ headers: h });
  redirect("/admin/sign-in");
}

/** Ends every session of this user (a lost laptop, a shared machine). */
export async function signOutEverywhere(): Promise<void> {
  await requireActor("viewer");
  const h = await headers();
  const auth = await getAuth(h);
  await auth.api.revokeSessions({ headers: h });
  await auth.api.signOut({ headers: h }).catch(() => undefined);
  redirect("/admin/sign-in");
}

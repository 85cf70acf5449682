import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "#components/admin/sign-in-form.tsx";
import { currentActor } from "#lib/auth/sessions.ts";
import { signIn } from "./actions.ts";

export const metadata: Metadata = { title: "Sign in · Candor admin", robots: { index: false } };

/* Public by design: the way in. */
export default async function SignInPage() {
  if (await currentActor()) redirect("/admin");
  return (
    <div className="mx-auto mt-16 max-w-sm rounded border border-gray-300 bg-white p-6">
      <h1 className="mb-4 text-xl font-semibold">Sign in to the admin area</h1>
      <SignInForm action={signIn} />
    </div>
  );
}

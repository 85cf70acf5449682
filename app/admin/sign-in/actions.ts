"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getAuth } from "#lib/auth/sessions.ts";
import { formValues, type FormState } from "#lib/core/forms.ts";

const signInForm = z.object({
  email: z.email("must be an email address"),
  password: z.string().min(1, "is required"),
});

/* Public by design: the one admin action that runs without a session. */
export async function signIn(_state: FormState, form: FormData): Promise<FormState> {
  const values = formValues(form);
  const parsed = signInForm.safeParse(values);
  const kept = { email: values.email ?? "" };
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { errors, values: kept };
  }
  const h = await headers();
  const auth = await getAuth(h);
  try {
    await auth.api.signInEmail({ body: parsed.data, headers: h });
  } catch (error) {
    if (error instanceof APIError) {
      const message = error.statusCode === 429 || error.statusCode === 503 ? error.message : "Wrong email or password.";
      return { message, values: kept };
    }
    throw error;
  }
  redirect("/admin");
}

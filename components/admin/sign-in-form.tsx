"use client";

import { useActionState } from "react";
import type { FormState } from "#lib/core/forms.ts";
import { FieldError, FormAlert, invalidProps } from "./form-fields.tsx";

export function SignInForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormAlert message={state.message} />
      <div>
        <label htmlFor="email" className="block text-sm font-medium">
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={state.values?.email}
          key={state.values?.email}
          {...invalidProps("email", state.errors?.email)}
          className="mt-1 block w-full rounded border border-gray-400 px-2 py-1.5"
        />
        <FieldError fieldId="email" error={state.errors?.email} label="Email" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          {...invalidProps("password", state.errors?.password)}
          className="mt-1 block w-full rounded border border-gray-400 px-2 py-1.5"
        />
        <FieldError fieldId="password" error={state.errors?.password} label="Password" />
      </div>
      <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

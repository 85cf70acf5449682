"use client";

import { useActionState } from "react";
import type { FormState } from "#lib/core/forms.ts";

export function SignInForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.message ? (
        <p role="alert" className="rounded bg-red-50 p-2 text-red-800">
          {state.message}
        </p>
      ) : null}
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
          aria-invalid={!!state.errors?.email}
          aria-describedby={state.errors?.email ? "email-error" : undefined}
          className="mt-1 block w-full rounded border border-gray-400 px-2 py-1.5"
        />
        {state.errors?.email ? <p id="email-error" className="text-sm text-red-800">Email {state.errors.email}</p> : null}
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
          aria-invalid={!!state.errors?.password}
          aria-describedby={state.errors?.password ? "password-error" : undefined}
          className="mt-1 block w-full rounded border border-gray-400 px-2 py-1.5"
        />
        {state.errors?.password ? <p id="password-error" className="text-sm text-red-800">Password {state.errors.password}</p> : null}
      </div>
      <button type="submit" disabled={pending} className="w-full rounded bg-blue-700 px-3 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}

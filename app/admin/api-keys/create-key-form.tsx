"use client";

import { useActionState } from "react";
import { FieldError, inputClass, invalidProps } from "#components/admin/form-fields.tsx";
import type { CreatedKeyState } from "./actions.ts";

/* Creates a key and shows its secret once, ready to copy; the list below never shows it again. */
export function CreateKeyForm(props: { action: (state: CreatedKeyState, form: FormData) => Promise<CreatedKeyState> }) {
  const [state, action, pending] = useActionState(props.action, {});
  const values = state.token ? {} : (state.values ?? {});
  return (
    <div className="space-y-3">
      {state.token ? (
        <div role="status" className="rounded border border-green-700 bg-green-50 p-3">
          <p className="font-medium text-green-900">{state.message} Copy the key now: it will not be shown again.</p>
          <label htmlFor="new-api-key" className="mt-2 block text-sm font-medium">
            New API key
          </label>
          <input
            id="new-api-key"
            readOnly
            value={state.token}
            onFocus={(e) => e.currentTarget.select()}
            className={`${inputClass} font-mono`}
          />
        </div>
      ) : state.message ? (
        <p role="alert" className="text-red-800">
          {state.message}
        </p>
      ) : null}
      <form action={action} className="flex flex-wrap items-end gap-3" noValidate>
        <div className="min-w-64">
          <label htmlFor="api-key-name" className="block text-sm font-medium">
            Name
          </label>
          <input
            id="api-key-name"
            name="name"
            key={`name-${values.name ?? ""}`}
            defaultValue={values.name ?? ""}
            placeholder="e.g. PagerDuty"
            className={inputClass}
            {...invalidProps("api-key-name", state.errors?.name)}
          />
          <FieldError fieldId="api-key-name" error={state.errors?.name} label="Name" />
        </div>
        <div>
          <label htmlFor="api-key-scope" className="block text-sm font-medium">
            Scope
          </label>
          <select id="api-key-scope" name="scope" key={`scope-${values.scope ?? ""}`} defaultValue={values.scope ?? "write"} className={inputClass}>
            <option value="write">write: declare, update, change status, schedule</option>
            <option value="read">read: list and read only</option>
            <option value="owner">owner: also the page&apos;s and the embed&apos;s settings (Statuspage v1 tools)</option>
          </select>
        </div>
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
          {pending ? "Creating…" : "Create API key"}
        </button>
      </form>
    </div>
  );
}

"use client";

import { useActionState } from "react";
import type { FormState } from "#lib/core/forms.ts";
import { errorId, FieldError, inputClass } from "./form-fields.tsx";

export interface FieldSpec {
  name: string;
  label: string;
  type?: "checkboxes" | "text" | "email" | "password" | "url" | "number" | "textarea" | "select" | "checkbox" | "datetime-local" | "hidden";
  defaultValue?: string;
  options?: { value: string; label: string }[];
  help?: string;
  required?: boolean;
  rows?: number;
  autoComplete?: string;
}

export type FormAction = (state: FormState, form: FormData) => Promise<FormState>;

/*
 * A declarative admin form: fields, errors next to the field that failed,
 * and the submitted values kept after an error.
 */
export function ActionForm(props: {
  action: FormAction;
  fields: FieldSpec[];
  submitLabel: string;
  title?: string;
  danger?: boolean;
  successMessage?: string;
  inline?: boolean;
  /** Distinguishes several forms with the same fields on one page. */
  idPrefix?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  const value = (f: FieldSpec) => state.values?.[f.name] ?? f.defaultValue ?? "";
  return (
    <form action={formAction} className={props.inline ? "flex flex-wrap items-end gap-2" : "space-y-3"} noValidate>
      {props.title ? <h3 className="font-semibold">{props.title}</h3> : null}
      {state.message ? (
        <p role={state.ok ? "status" : "alert"} className={state.ok ? "text-green-800" : "text-red-800"}>
          {state.message}
        </p>
      ) : state.ok && props.successMessage ? (
        <p role="status" className="text-green-800">
          {props.successMessage}
        </p>
      ) : null}
      {props.fields.map((f) => {
        const id = `${props.idPrefix ?? props.submitLabel}-${f.name}`.replace(/\W+/g, "-").toLowerCase();
        const error = state.errors?.[f.name];
        const described = [error ? errorId(id) : "", f.help ? `${id}-help` : ""].filter(Boolean).join(" ") || undefined;
        // Re-key on each result so defaultValue re-applies the submitted values.
        const key = `${f.name}-${JSON.stringify(state.values?.[f.name] ?? null)}`;
        if (f.type === "hidden") return <input key={key} type="hidden" name={f.name} defaultValue={value(f)} />;
        if (f.type === "checkboxes") {
          // Several values under one name; the kept value is the comma-joined list.
          const checked = new Set(value(f).split(",").filter(Boolean));
          return (
            <fieldset key={key} className="rounded border border-gray-300 p-2" aria-describedby={described}>
              <legend className="px-1 text-sm font-medium">{f.label}</legend>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {f.options?.map((o) => (
                  <label key={o.value} className="inline-flex items-center gap-1">
                    <input type="checkbox" name={f.name} value={o.value} defaultChecked={checked.has(o.value)} />
                    {o.label}
                  </label>
                ))}
              </div>
              <FieldError fieldId={id} error={error} label={f.label} />
            </fieldset>
          );
        }
        if (f.type === "checkbox") {
          return (
            <div key={key}>
              <label className="inline-flex items-center gap-2">
                <input type="checkbox" name={f.name} defaultChecked={value(f) === "on" || value(f) === "true"} aria-describedby={described} />
                {f.label}
              </label>
              <FieldError fieldId={id} error={error} label={f.label} />
            </div>
          );
        }
        return (
          <div key={key} className={props.inline ? "" : "max-w-2xl"}>
            <label htmlFor={id} className="block text-sm font-medium">
              {f.label}
            </label>
            {f.type === "textarea" ? (
              <textarea id={id} name={f.name} rows={f.rows ?? 4} defaultValue={value(f)} className={inputClass} aria-invalid={!!error} aria-describedby={described} />
            ) : f.type === "select" ? (
              <select id={id} name={f.name} defaultValue={value(f)} className={inputClass} aria-invalid={!!error} aria-describedby={described}>
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                name={f.name}
                type={f.type ?? "text"}
                defaultValue={value(f)}
                required={f.required}
                autoComplete={f.autoComplete}
                className={inputClass}
                aria-invalid={!!error}
                aria-describedby={described}
              />
            )}
            {f.help ? <p id={`${id}-help`} className="text-sm text-gray-700">{f.help}</p> : null}
            <FieldError fieldId={id} error={error} label={f.label} />
          </div>
        );
      })}
      {state.errors?.form ? <p role="alert" className="text-red-800">{state.errors.form}</p> : null}
      <button
        type="submit"
        disabled={pending}
        className={`rounded px-3 py-1.5 font-medium text-white disabled:opacity-60 ${props.danger ? "bg-red-700 hover:bg-red-800" : "bg-blue-700 hover:bg-blue-800"}`}
      >
        {pending ? "Working…" : props.submitLabel}
      </button>
    </form>
  );
}

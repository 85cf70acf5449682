"use client";

import { createElement, useActionState, useEffect, useState } from "react";
import { contrastRatio, MIN_TEXT_CONTRAST } from "#lib/core/colors.ts";
import type { FormState } from "#lib/core/forms.ts";
import type { FormAction } from "./action-form.tsx";
import { FieldError, inputClass, invalidProps } from "./form-fields.tsx";

type Values = Record<"position" | "incident_background_color" | "incident_text_color" | "maintenance_background_color" | "maintenance_text_color", string>;

const COLORS = [
  ["incident_background_color", "Incident background"],
  ["incident_text_color", "Incident text"],
  ["maintenance_background_color", "Maintenance background"],
  ["maintenance_text_color", "Maintenance text"],
] as const;

/*
 * The Statuspage-compatible embed's settings (owners edit, others read) with
 * a live preview of the frame in the colours as they are picked, and the
 * in-app widget's three modes as /embed.js draws them (its `demo` attribute:
 * a sample incident, the toast in place).
 */
export function EmbedSettings(props: { values: Values; positions: string[]; canEdit: boolean; action: FormAction }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(props.action, {});
  const [values, setValues] = useState<Values>(props.values);
  useEffect(() => {
    // Added from here, not as a tag: the admin area's CSP trusts scripts its own scripts add ('strict-dynamic').
    if (document.querySelector("script[data-candor-widget]")) return;
    const script = document.createElement("script");
    script.src = "/embed.js";
    script.async = true;
    script.dataset.candorWidget = "";
    document.head.append(script);
  }, []);
  const set = (name: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));
  const ratio = (kind: "incident" | "maintenance") => contrastRatio(values[`${kind}_text_color`], values[`${kind}_background_color`]);
  return (
    <section aria-labelledby="settings-heading" className="space-y-4">
      <h2 id="settings-heading" className="text-lg font-semibold">
        Statuspage-compatible embed settings
      </h2>
      <form action={formAction} className="space-y-3" noValidate>
        {state.message ? (
          <p role={state.ok ? "status" : "alert"} className={state.ok ? "text-green-800" : "text-red-800"}>
            {state.message}
          </p>
        ) : null}
        {props.canEdit ? null : <p className="text-sm text-gray-700">Only owners can change these settings.</p>}
        <fieldset disabled={!props.canEdit} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5">
          <div>
            <label htmlFor="embed-position" className="block text-sm font-medium">
              Position
            </label>
            <select id="embed-position" name="position" value={values.position} onChange={set("position")} className={inputClass} {...invalidProps("embed-position", state.errors?.position)}>
              {props.positions.map((p) => (
                <option key={p} value={p}>
                  {p.replace("-", " ")}
                </option>
              ))}
            </select>
            <FieldError fieldId="embed-position" error={state.errors?.position} label="Position" />
          </div>
          {COLORS.map(([name, label]) => (
            <div key={name}>
              <label htmlFor={`embed-${name}`} className="block text-sm font-medium">
                {label}
              </label>
              <input
                id={`embed-${name}`}
                name={name}
                type="color"
                value={values[name]}
                onChange={set(name)}
                className={`${inputClass} h-9`}
                {...invalidProps(`embed-${name}`, state.errors?.[name])}
              />
              <FieldError fieldId={`embed-${name}`} error={state.errors?.[name]} label={label} />
            </div>
          ))}
        </fieldset>
        {props.canEdit ? (
          <button type="submit" disabled={pending} className="rounded bg-blue-800 px-3 py-1.5 text-white disabled:opacity-60">
            Save embed settings
          </button>
        ) : null}
      </form>
      <h3 className="font-semibold">Preview</h3>
      <div className="flex flex-wrap gap-4">
        {(["incident", "maintenance"] as const).map((kind) => (
          <figure key={kind} className="space-y-1">
            <div
              className="relative flex h-[115px] w-[320px] items-center rounded py-3 pl-[18px] pr-11 shadow-lg"
              style={{ background: values[`${kind}_background_color`], color: values[`${kind}_text_color`] }}
            >
              <div>
                <p className="font-semibold underline">{kind === "incident" ? "Elevated error rates" : "Database upgrade"}</p>
                <p className="mt-1 text-[13px]">{kind === "incident" ? "Identified" : "In progress"} · updated just now</p>
              </div>
              <span aria-hidden="true" className="absolute right-3 top-2 text-xl">
                ×
              </span>
            </div>
            <figcaption className="text-sm text-gray-700">
              {kind === "incident" ? "Incident" : "Maintenance"} frame, {values.position.replace("-", " ")}: contrast {ratio(kind).toFixed(1)}:1
              {ratio(kind) < MIN_TEXT_CONTRAST ? ` (below ${MIN_TEXT_CONTRAST}:1: refused on save)` : ""}
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="space-y-3">
        {(["banner", "toast", "badge"] as const).map((mode) => (
          <figure key={mode} className="space-y-1">
            <figcaption className="text-sm font-medium">Widget: {mode}</figcaption>
            <div className="rounded border border-gray-300 bg-white p-3">{createElement("candor-status", { mode, demo: "" })}</div>
          </figure>
        ))}
      </div>
    </section>
  );
}

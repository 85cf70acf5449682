"use client";

import { useActionState } from "react";
import { FieldError, inputClass, invalidProps, type Option } from "#components/admin/form-fields.tsx";
import type { CreatedChannelState, TestState } from "./actions.ts";

/* Adds a channel subscriber and shows its signing secret once; the list never shows the URL or the secret again. */
export function CreateChannelForm(props: {
  action: (state: CreatedChannelState, form: FormData) => Promise<CreatedChannelState>;
  components: Option[];
  events: Option[];
  channels: Option[];
  /** The page's locales, each in its own name; the first is the default. */
  locales: Option[];
}) {
  const [state, action, pending] = useActionState(props.action, {});
  const values = state.secret ? {} : (state.values ?? {});
  const chosen = (name: string, fallback: string[]) => (values[name] !== undefined ? values[name].split(",") : fallback);
  return (
    <div className="space-y-3">
      {state.secret ? (
        <div role="status" className="rounded border border-green-700 bg-green-50 p-3">
          <p className="font-medium text-green-900">{state.message} Copy the signing secret now: it will not be shown again.</p>
          <label htmlFor="new-channel-secret" className="mt-2 block text-sm font-medium">
            Signing secret (verifies the candor-signature header)
          </label>
          <input id="new-channel-secret" readOnly value={state.secret} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} font-mono`} />
        </div>
      ) : state.message ? (
        <p role="alert" className="text-red-800">
          {state.message}
        </p>
      ) : null}
      <form action={action} className="grid gap-3 md:grid-cols-2" noValidate>
        <div className="md:col-span-2">
          <label htmlFor="channel-url" className="block text-sm font-medium">
            Webhook URL (Slack, Discord, Teams Workflows or any HTTPS endpoint)
          </label>
          <input
            id="channel-url"
            name="url"
            type="url"
            key={`url-${values.url ?? ""}`}
            defaultValue={values.url ?? ""}
            autoComplete="off"
            className={inputClass}
            {...invalidProps("channel-url", state.errors?.url)}
          />
          <FieldError fieldId="channel-url" error={state.errors?.url} label="URL" />
        </div>
        <div>
          <label htmlFor="channel-kind" className="block text-sm font-medium">
            Kind
          </label>
          <select id="channel-kind" name="channel" key={`channel-${values.channel ?? ""}`} defaultValue={values.channel ?? ""} className={inputClass}>
            <option value="">Detect from the URL</option>
            {props.channels.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="channel-format" className="block text-sm font-medium">
            Webhook format
          </label>
          <select id="channel-format" name="format" key={`format-${values.format ?? ""}`} defaultValue={values.format ?? "candor"} className={inputClass}>
            <option value="candor">Candor (versioned, typed events)</option>
            <option value="statuspage">Statuspage-compatible</option>
          </select>
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Events</legend>
          {props.events.map((o) => (
            <label key={o.value} className="mr-4 inline-flex items-center gap-1">
              <input type="checkbox" name="events" value={o.value} defaultChecked={chosen("events", ["incident", "maintenance"]).includes(o.value)} />
              {o.label}
            </label>
          ))}
          <FieldError fieldId="channel-events" error={state.errors?.events} label="Events" />
        </fieldset>
        <fieldset>
          <legend className="text-sm font-medium">Components (none checked: all)</legend>
          {props.components.map((o) => (
            <label key={o.value} className="mr-4 inline-flex items-center gap-1">
              <input type="checkbox" name="components" value={o.value} defaultChecked={chosen("components", []).includes(o.value)} />
              {o.label}
            </label>
          ))}
          <FieldError fieldId="channel-components" error={state.errors?.components} label="Components" />
        </fieldset>
        <div>
          <label htmlFor="channel-contact" className="block text-sm font-medium">
            Contact email (told if the endpoint is quarantined; optional)
          </label>
          <input
            id="channel-contact"
            name="contactEmail"
            type="email"
            key={`contact-${values.contactEmail ?? ""}`}
            defaultValue={values.contactEmail ?? ""}
            className={inputClass}
            {...invalidProps("channel-contact", state.errors?.contactEmail)}
          />
          <FieldError fieldId="channel-contact" error={state.errors?.contactEmail} label="Contact email" />
        </div>
        <div>
          <label htmlFor="channel-locale" className="block text-sm font-medium">
            Message language (Slack, Discord and Teams; webhook JSON stays English)
          </label>
          <select id="channel-locale" name="locale" key={`locale-${values.locale ?? ""}`} defaultValue={values.locale ?? props.locales[0]?.value} className={inputClass}>
            {props.locales.map((o) => (
              <option key={o.value} value={o.value} lang={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="self-end">
          <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
            {pending ? "Adding…" : "Add channel subscriber"}
          </button>
        </div>
      </form>
    </div>
  );
}

/* "Send test": a test event now, and the receiver's answer beside the button. */
export function SendTestForm(props: { id: string; label: string; action: (state: TestState, form: FormData) => Promise<TestState> }) {
  const [state, action, pending] = useActionState(props.action, {});
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="id" value={props.id} />
      <button type="submit" disabled={pending} aria-label={`Send a test to ${props.label}`} className="rounded border border-gray-500 px-2 py-1 disabled:opacity-60">
        {pending ? "Sending…" : "Send test"}
      </button>
      {state.message ? (
        <p role="status" className={state.ok ? "text-green-900" : "text-red-800"}>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}

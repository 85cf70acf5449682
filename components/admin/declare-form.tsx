"use client";

import { startTransition, useActionState, useEffect, useMemo, useState } from "react";
import type { FormState } from "#lib/core/forms.ts";

export interface TemplateOption {
  id: string;
  status: string;
  name: string;
  title: string;
  body: string;
}

export interface ComponentOption {
  id: string;
  name: string;
  status: string;
}

export interface PreviewState extends FormState {
  preview?: {
    title: string;
    html: string;
    recipients: number | null;
    delivery?: { mode: string; seconds: number };
    missing: string[];
    emailHtml?: string | null;
  };
}

type Option = { value: string; label: string };

const PLACEHOLDER_LABELS: Record<string, string> = {
  description: "What is happening (description)",
  eta: "Expected resolution (eta)",
  impact: "Impact on customers (impact)",
  workaround: "Workaround",
  root_cause: "Root cause",
  duration: "Duration",
  start: "Start",
  end: "End",
  incident: "Incident",
  timeline: "Timeline",
};

const inputClass =
  "mt-1 block w-full rounded border border-gray-400 bg-white px-2 py-1.5 text-gray-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700";

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([a-z_]+)\s*\}\}/g)].map((m) => m[1]))];
}

/*
 * Declaring an incident or posting an update: pick a template, the affected
 * components and their statuses, fill the placeholders, preview exactly what
 * the public will see, then publish. Publishing is offered only for the
 * content that was previewed; any edit asks for a new preview.
 */
export function UpdateComposer(props: {
  mode: "declare" | "update";
  action: (state: PreviewState, form: FormData) => Promise<PreviewState>;
  templates: TemplateOption[];
  components: ComponentOption[];
  statuses: Option[];
  componentStatuses: Option[];
  severities?: Option[];
  defaults: {
    status: string;
    severity?: string;
    title?: string;
    /** Component id → pre-selected status. */
    components: Record<string, string>;
    incidentId?: string;
    /** Placeholder values known in advance (the duration when resolving). */
    fields?: Record<string, string>;
  };
}) {
  const [state, dispatch, pending] = useActionState(props.action, {});
  const firstTemplate = props.templates.find((t) => t.status === props.defaults.status);
  const [status, setStatus] = useState(props.defaults.status);
  const [templateId, setTemplateId] = useState(firstTemplate?.id ?? "");
  const [title, setTitle] = useState(props.defaults.title ?? firstTemplate?.title ?? "");
  const [body, setBody] = useState(firstTemplate?.body ?? "");
  const [severity, setSeverity] = useState(props.defaults.severity ?? "SEV-2");
  const [chosen, setChosen] = useState<Record<string, string>>(props.defaults.components);
  const [fields, setFields] = useState<Record<string, string>>(props.defaults.fields ?? {});
  const [notify, setNotify] = useState(true);
  const [displayAt, setDisplayAt] = useState("");
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  // Inputs stay disabled until the form is interactive, so nothing typed before hydration is lost.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const needed = useMemo(() => placeholders(`${props.mode === "declare" ? title : ""}\n${body}`).filter((p) => p !== "components"), [title, body, props.mode]);
  const contentKey = JSON.stringify({ status, templateId, title, body, severity, chosen, fields, notify, displayAt });
  const previewCurrent = previewedKey === contentKey && !!state.preview && state.preview.missing.length === 0 && !state.errors;

  function pickTemplate(id: string) {
    const t = props.templates.find((x) => x.id === id);
    setTemplateId(id);
    if (!t) return;
    setBody(t.body);
    if (props.mode === "declare" && t.title) setTitle(t.title);
  }

  function pickStatus(next: string) {
    setStatus(next);
    const t = props.templates.find((x) => x.status === next);
    if (t) pickTemplate(t.id);
    if (next === "resolved") setChosen((c) => Object.fromEntries(Object.keys(c).map((id) => [id, "operational"])));
  }

  function submit(intent: "preview" | "publish") {
    const form = new FormData();
    form.set("intent", intent);
    form.set("status", status);
    form.set("title", title);
    form.set("body", body);
    if (props.severities) form.set("severity", severity);
    if (props.defaults.incidentId) form.set("incidentId", props.defaults.incidentId);
    if (notify) form.set("notify", "on");
    if (displayAt) form.set("displayAt", new Date(displayAt).toISOString());
    for (const [id, s] of Object.entries(chosen)) form.append("component", `${id}:${s}`);
    for (const p of needed) form.set(`field.${p}`, fields[p] ?? "");
    if (intent === "preview") setPreviewedKey(contentKey);
    startTransition(() => dispatch(form));
  }

  const error = (name: string) =>
    state.errors?.[name] ? (
      <p id={`${name}-error`} className="text-sm text-red-800">
        {state.errors[name]}
      </p>
    ) : null;

  return (
    <form
      className="grid gap-6 lg:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        // Enter in a field previews; publishing is always a deliberate press of the Publish button.
        submit("preview");
      }}
      noValidate
    >
      <fieldset disabled={!ready} className="min-w-0 space-y-4">
        {state.message ? (
          <p role="alert" className="rounded bg-red-50 p-2 text-red-800">
            {state.message}
          </p>
        ) : null}
        <div>
          <label htmlFor="status" className="block text-sm font-medium">
            Status
          </label>
          <select id="status" value={status} onChange={(e) => pickStatus(e.target.value)} className={inputClass}>
            {props.statuses.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {error("status")}
        </div>
        <div>
          <label htmlFor="template" className="block text-sm font-medium">
            Template
          </label>
          <select id="template" value={templateId} onChange={(e) => pickTemplate(e.target.value)} className={inputClass}>
            <option value="">(write from scratch)</option>
            {props.templates
              .filter((t) => t.status === status)
              .map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
          </select>
        </div>
        {props.mode === "declare" ? (
          <div>
            <label htmlFor="title" className="block text-sm font-medium">
              Title
            </label>
            <input
              id="title"
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              className={inputClass}
              aria-invalid={!!state.errors?.title}
              aria-describedby={state.errors?.title ? "title-error" : undefined}
            />
            {error("title")}
          </div>
        ) : null}
        {props.severities ? (
          <div>
            <label htmlFor="severity" className="block text-sm font-medium">
              Severity
            </label>
            <select id="severity" value={severity} onChange={(e) => setSeverity(e.target.value)} className={inputClass}>
              {props.severities.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {error("severity")}
          </div>
        ) : null}
        <fieldset className="rounded border border-gray-300 p-3">
          <legend className="px-1 text-sm font-medium">Affected components</legend>
          {props.components.length === 0 ? <p className="text-sm">No components yet.</p> : null}
          <ul className="space-y-2">
            {props.components.map((c) => {
              const checked = c.id in chosen;
              return (
                <li key={c.id} className="flex flex-wrap items-center gap-2">
                  <label className="inline-flex min-w-48 items-center gap-2">
                    <input
                      type="checkbox"
                      checked={checked}
                      onChange={(e) =>
                        setChosen((prev) => {
                          const next = { ...prev };
                          if (e.target.checked) next[c.id] = status === "resolved" ? "operational" : "partial_outage";
                          else delete next[c.id];
                          return next;
                        })
                      }
                    />
                    {c.name}
                  </label>
                  {checked ? (
                    <select
                      aria-label={`New status of ${c.name}`}
                      value={chosen[c.id]}
                      onChange={(e) => setChosen((prev) => ({ ...prev, [c.id]: e.target.value }))}
                      className="rounded border border-gray-400 px-1 py-0.5 text-sm"
                    >
                      {props.componentStatuses.map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <span className="text-sm text-gray-700">now {c.status.replaceAll("_", " ")}</span>
                  )}
                </li>
              );
            })}
          </ul>
          {error("components")}
        </fieldset>
        {needed.map((p) => (
          <div key={p}>
            <label htmlFor={`field-${p}`} className="block text-sm font-medium">
              {PLACEHOLDER_LABELS[p] ?? p}
            </label>
            <input
              id={`field-${p}`}
              value={fields[p] ?? ""}
              onChange={(e) => setFields((prev) => ({ ...prev, [p]: e.target.value }))}
              className={inputClass}
              aria-invalid={!!state.errors?.[`field.${p}`]}
              aria-describedby={state.errors?.[`field.${p}`] ? `field.${p}-error` : undefined}
            />
            {error(`field.${p}`)}
          </div>
        ))}
        <div>
          <label htmlFor="body" className="block text-sm font-medium">
            Message (markdown; <code>{"{{placeholders}}"}</code> are filled from the fields above)
          </label>
          <textarea
            id="body"
            rows={6}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            className={inputClass}
            aria-invalid={!!state.errors?.body}
            aria-describedby={state.errors?.body ? "body-error" : undefined}
          />
          {error("body")}
        </div>
        <details className="text-sm">
          <summary>Backfill: show this {props.mode === "declare" ? "incident as started" : "update"} at an earlier time</summary>
          <label htmlFor="displayAt" className="mt-2 block">
            Display time (your local time; leave empty for now)
          </label>
          <input id="displayAt" type="datetime-local" value={displayAt} onChange={(e) => setDisplayAt(e.target.value)} className={inputClass} />
          {error("displayAt")}
        </details>
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          Notify subscribers
        </label>
        <div className="flex gap-2">
          <button type="submit" disabled={pending} className="rounded border border-blue-700 px-3 py-1.5 font-medium text-blue-800">
            {pending ? "Working…" : "Preview"}
          </button>
          {previewCurrent ? (
            <button type="button" onClick={() => submit("publish")} disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white">
              {props.mode === "declare" ? "Publish incident" : "Post update"}
            </button>
          ) : null}
        </div>
      </fieldset>
      <section aria-labelledby="preview-heading" aria-live="polite" className="rounded border border-gray-300 bg-white p-4">
        <h2 id="preview-heading" className="mb-2 font-semibold">
          Preview
        </h2>
        {state.preview ? (
          <div>
            {state.preview.missing.length > 0 ? (
              <p role="alert" className="mb-2 rounded bg-amber-50 p-2 text-amber-900">
                Cannot publish yet: fill {state.preview.missing.map((m) => `{{${m}}}`).join(", ")}.
              </p>
            ) : null}
            <p className="text-sm text-gray-700">On the public page:</p>
            <article className="my-2 rounded border border-gray-200 p-3">
              {state.preview.title ? <h3 className="text-lg font-semibold">{state.preview.title}</h3> : null}
              <p className="text-sm font-medium">{props.statuses.find((s) => s.value === status)?.label}</p>
              <div className="admin-prose" dangerouslySetInnerHTML={{ __html: state.preview.html }} />
            </article>
            <p className="text-sm">
              {notify
                ? state.preview.recipients === null
                  ? "Subscribers will be notified."
                  : `${state.preview.recipients} subscriber${state.preview.recipients === 1 ? "" : "s"} will be notified by email${
                      state.preview.delivery && state.preview.recipients > 0
                        ? ` (${state.preview.delivery.mode === "batch" ? "batched, timeline in the body" : "one email each, timeline attached"}; delivered in about ${formatSeconds(state.preview.delivery.seconds)})`
                        : ""
                    }.`
                : "Subscribers will not be notified."}
            </p>
            {notify && state.preview.emailHtml ? (
              <details className="mt-2">
                <summary className="text-sm">The email as it will go out</summary>
                <iframe title="Email preview" sandbox="" srcDoc={state.preview.emailHtml} className="mt-2 h-96 w-full border border-gray-200" />
              </details>
            ) : null}
          </div>
        ) : (
          <p className="text-sm text-gray-700">Press Preview to see exactly what customers and subscribers will get.</p>
        )}
      </section>
    </form>
  );
}

/** "45 s", "3 min", "1 h 20 min" for the delivery estimate. */
function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, seconds)} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

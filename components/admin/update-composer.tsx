"use client";

import { startTransition, useActionState, useMemo, useState } from "react";
import type { FormState } from "#lib/core/forms.ts";
import { placeholdersIn } from "#lib/core/placeholders.ts";
import { errorId, FieldError, FormAlert, inputClass, invalidProps, SelectField, TextField, type Option } from "./form-fields.tsx";
import { UpdatePreview, type UpdatePreviewView } from "./update-preview.tsx";
import { useHydrated } from "./use-hydrated.ts";

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
  preview?: UpdatePreviewView;
}

type Intent = "preview" | "publish";

interface ComposerProps {
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
    /** Declaring from a group of problem reports: its key, carried to the server as is. */
    fromReports?: string;
    /** Placeholder values known in advance (the duration when resolving). */
    fields?: Record<string, string>;
  };
}

/** What the editor has chosen and typed so far. */
interface Draft {
  status: string;
  templateId: string;
  title: string;
  body: string;
  severity: string;
  /** Component id → its new status. */
  chosen: Record<string, string>;
  /** Placeholder name → value. */
  fields: Record<string, string>;
  notify: boolean;
  displayAt: string;
  /** Declaring only: when the team learned of it and when someone took it on (empty: the declaration). */
  detectedAt: string;
  acknowledgedAt: string;
}

/*
 * Declaring an incident or posting an update: pick a template, the affected
 * components and their statuses, fill the placeholders, preview exactly what
 * the public will see, then publish. Publishing is offered only for the
 * content that was previewed; any edit asks for a new preview.
 */
export function UpdateComposer(props: ComposerProps) {
  const [state, dispatch, pending] = useActionState(props.action, {});
  const { draft, set, pickStatus, pickTemplate } = useDraft(props);
  const [previewedKey, setPreviewedKey] = useState<string | null>(null);
  const ready = useHydrated();
  const declare = props.mode === "declare";
  const needed = useMemo(() => placeholdersIn(`${declare ? draft.title : ""}\n${draft.body}`).filter((p) => p !== "components"), [draft.title, draft.body, declare]);
  const contentKey = JSON.stringify(draft);
  const previewCurrent = previewedKey === contentKey && !!state.preview && state.preview.missing.length === 0 && !state.errors;
  const errors = state.errors ?? {};

  function submit(intent: Intent) {
    const form = draftForm(draft, intent, needed, {
      severity: !!props.severities,
      incidentId: props.defaults.incidentId,
      fromReports: props.defaults.fromReports,
    });
    if (intent === "preview") setPreviewedKey(contentKey);
    startTransition(() => dispatch(form));
  }

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
        <FormAlert message={state.message} />
        <SelectField id="status" label="Status" value={draft.status} onChange={pickStatus} options={props.statuses} error={errors.status} />
        <SelectField
          id="template"
          label="Template"
          value={draft.templateId}
          onChange={pickTemplate}
          empty="(write from scratch)"
          options={props.templates.filter((t) => t.status === draft.status).map((t) => ({ value: t.id, label: t.name }))}
        />
        {declare ? <TextField id="title" label="Title" value={draft.title} onChange={(v) => set("title", v)} error={errors.title} /> : null}
        {props.severities ? (
          <SelectField id="severity" label="Severity" value={draft.severity} onChange={(v) => set("severity", v)} options={props.severities} error={errors.severity} />
        ) : null}
        <ComponentPicker
          components={props.components}
          statuses={props.componentStatuses}
          chosen={draft.chosen}
          resolving={draft.status === "resolved"}
          onChange={(chosen) => set("chosen", chosen)}
          error={errors.components}
        />
        <PlaceholderFields names={needed} values={draft.fields} onChange={(fields) => set("fields", fields)} errors={errors} />
        <TextField
          id="body"
          label={
            <>
              Message (markdown; <code>{"{{placeholders}}"}</code> are filled from the fields above)
            </>
          }
          rows={6}
          value={draft.body}
          onChange={(v) => set("body", v)}
          error={errors.body}
        />
        <BackfillField what={declare ? "incident as started" : "update"} value={draft.displayAt} onChange={(v) => set("displayAt", v)} error={errors.displayAt} />
        {declare ? (
          <MilestoneFields
            detectedAt={draft.detectedAt}
            acknowledgedAt={draft.acknowledgedAt}
            onChange={(key, v) => set(key, v)}
            errors={errors}
          />
        ) : null}
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" checked={draft.notify} onChange={(e) => set("notify", e.target.checked)} />
          Notify subscribers
        </label>
        <ComposerButtons pending={pending} publishLabel={previewCurrent ? (declare ? "Publish incident" : "Post update") : null} onPublish={() => submit("publish")} />
      </fieldset>
      <UpdatePreview preview={state.preview} statusLabel={props.statuses.find((s) => s.value === draft.status)?.label} notify={draft.notify} />
    </form>
  );
}

/*
 * The draft and the moves that keep it consistent: a status brings its
 * template, a template brings its text, resolving brings the chosen
 * components back to operational.
 */
function useDraft(props: ComposerProps) {
  const [draft, setDraft] = useState<Draft>(() => {
    const first = props.templates.find((t) => t.status === props.defaults.status);
    return {
      status: props.defaults.status,
      templateId: first?.id ?? "",
      title: props.defaults.title ?? first?.title ?? "",
      body: first?.body ?? "",
      severity: props.defaults.severity ?? "SEV-2",
      chosen: props.defaults.components,
      fields: props.defaults.fields ?? {},
      notify: true,
      displayAt: "",
      detectedAt: "",
      acknowledgedAt: "",
    };
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const withTemplate = (d: Draft, id: string): Draft => {
    const t = props.templates.find((x) => x.id === id);
    if (!t) return { ...d, templateId: id };
    return { ...d, templateId: id, body: t.body, title: props.mode === "declare" && t.title ? t.title : d.title };
  };
  const pickTemplate = (id: string) => setDraft((d) => withTemplate(d, id));
  const pickStatus = (status: string) =>
    setDraft((d) => {
      const chosen = status === "resolved" ? Object.fromEntries(Object.keys(d.chosen).map((id) => [id, "operational"])) : d.chosen;
      const template = props.templates.find((x) => x.status === status);
      const next = { ...d, status, chosen };
      return template ? withTemplate(next, template.id) : next;
    });
  return { draft, set, pickStatus, pickTemplate };
}

/** The form the server action reads; only the placeholders the text still uses are sent. */
function draftForm(draft: Draft, intent: Intent, needed: string[], options: { severity: boolean; incidentId?: string; fromReports?: string }): FormData {
  const form = new FormData();
  form.set("intent", intent);
  form.set("status", draft.status);
  form.set("title", draft.title);
  form.set("body", draft.body);
  if (options.severity) form.set("severity", draft.severity);
  if (options.incidentId) form.set("incidentId", options.incidentId);
  if (options.fromReports) form.set("fromReports", options.fromReports);
  if (draft.notify) form.set("notify", "on");
  if (draft.displayAt) form.set("displayAt", new Date(draft.displayAt).toISOString());
  if (draft.detectedAt) form.set("detectedAt", new Date(draft.detectedAt).toISOString());
  if (draft.acknowledgedAt) form.set("acknowledgedAt", new Date(draft.acknowledgedAt).toISOString());
  for (const [id, s] of Object.entries(draft.chosen)) form.append("component", `${id}:${s}`);
  for (const p of needed) form.set(`field.${p}`, draft.fields[p] ?? "");
  return form;
}

/** Which components the update affects, each with its new status. */
function ComponentPicker(props: {
  components: ComponentOption[];
  statuses: Option[];
  chosen: Record<string, string>;
  /** A newly ticked component starts operational when resolving, partially out otherwise. */
  resolving: boolean;
  onChange: (chosen: Record<string, string>) => void;
  error?: string;
}) {
  const toggle = (id: string, on: boolean) => {
    const next = { ...props.chosen };
    if (on) next[id] = props.resolving ? "operational" : "partial_outage";
    else delete next[id];
    props.onChange(next);
  };
  return (
    <fieldset className="rounded border border-gray-300 p-3" aria-describedby={props.error ? errorId("components") : undefined}>
      <legend className="px-1 text-sm font-medium">Affected components</legend>
      {props.components.length === 0 ? <p className="text-sm">No components yet.</p> : null}
      <ul className="space-y-2">
        {props.components.map((c) => {
          const checked = c.id in props.chosen;
          return (
            <li key={c.id} className="flex flex-wrap items-center gap-2">
              <label className="inline-flex min-w-48 items-center gap-2">
                <input type="checkbox" checked={checked} onChange={(e) => toggle(c.id, e.target.checked)} />
                {c.name}
              </label>
              {checked ? (
                <select
                  aria-label={`New status of ${c.name}`}
                  value={props.chosen[c.id]}
                  onChange={(e) => props.onChange({ ...props.chosen, [c.id]: e.target.value })}
                  className="rounded border border-gray-400 px-1 py-0.5 text-sm"
                >
                  {props.statuses.map((o) => (
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
      <FieldError fieldId="components" error={props.error} />
    </fieldset>
  );
}

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

/** One input per placeholder the title and text use. */
function PlaceholderFields(props: {
  names: string[];
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
  errors: Record<string, string>;
}) {
  return props.names.map((p) => (
    <TextField
      key={p}
      id={`field-${p}`}
      label={PLACEHOLDER_LABELS[p] ?? p}
      value={props.values[p] ?? ""}
      onChange={(v) => props.onChange({ ...props.values, [p]: v })}
      error={props.errors[`field.${p}`]}
    />
  ));
}

/** An earlier display time, for writing up what happened before it was declared. */
function BackfillField(props: { what: string; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <details className="text-sm">
      <summary>Backfill: show this {props.what} at an earlier time</summary>
      <label htmlFor="displayAt" className="mt-2 block">
        Display time (your local time; leave empty for now)
      </label>
      <input
        id="displayAt"
        type="datetime-local"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass}
        {...invalidProps("displayAt", props.error)}
      />
      <FieldError fieldId="displayAt" error={props.error} />
    </details>
  );
}

/** When the team learned of the incident and when someone took it on, if earlier than declaring (the report measures from them). */
function MilestoneFields(props: {
  detectedAt: string;
  acknowledgedAt: string;
  onChange: (key: "detectedAt" | "acknowledgedAt", value: string) => void;
  errors: Record<string, string>;
}) {
  const fields = [
    { key: "detectedAt", label: "Detected (the alert, a customer report)" },
    { key: "acknowledgedAt", label: "Acknowledged (someone took it on)" },
  ] as const;
  return (
    <details className="text-sm" open={!!(props.errors.detectedAt || props.errors.acknowledgedAt)}>
      <summary>Detected or acknowledged before declaring?</summary>
      {fields.map((f) => (
        <div key={f.key}>
          <label htmlFor={f.key} className="mt-2 block">
            {f.label}, your local time; empty: when declared
          </label>
          <input
            id={f.key}
            type="datetime-local"
            value={props[f.key]}
            onChange={(e) => props.onChange(f.key, e.target.value)}
            className={inputClass}
            {...invalidProps(f.key, props.errors[f.key])}
          />
          <FieldError fieldId={f.key} error={props.errors[f.key]} />
        </div>
      ))}
    </details>
  );
}

/** Preview always; Publish only while the preview shows the current draft (publishLabel is null otherwise). */
function ComposerButtons(props: { pending: boolean; publishLabel: string | null; onPublish: () => void }) {
  return (
    <div className="flex gap-2">
      <button type="submit" disabled={props.pending} className="rounded border border-blue-700 px-3 py-1.5 font-medium text-blue-800">
        {props.pending ? "Working…" : "Preview"}
      </button>
      {props.publishLabel ? (
        <button type="button" onClick={props.onPublish} disabled={props.pending} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white">
          {props.publishLabel}
        </button>
      ) : null}
    </div>
  );
}

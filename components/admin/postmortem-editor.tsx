"use client";

import { startTransition, useActionState, useState } from "react";
import type { FormState } from "#lib/core/forms.ts";
import { FieldError, FormAlert, invalidProps } from "./form-fields.tsx";
import { useHydrated } from "./use-hydrated.ts";

type PostmortemState = FormState & { html?: string };

/* Markdown editor with a preview of the public rendering, then publish. */
export function PostmortemEditor(props: {
  action: (state: PostmortemState, form: FormData) => Promise<PostmortemState>;
  incidentId: string;
  initial: string;
  published: boolean;
}) {
  const [state, dispatch, pending] = useActionState(props.action, {});
  const [body, setBody] = useState(props.initial);
  const [notify, setNotify] = useState(false);
  const ready = useHydrated();
  function submit(intent: "preview" | "publish") {
    const form = new FormData();
    form.set("intent", intent);
    form.set("incidentId", props.incidentId);
    form.set("body", body);
    if (notify) form.set("notify", "on");
    startTransition(() => dispatch(form));
  }
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <fieldset disabled={!ready} className="min-w-0 space-y-3">
        <FormAlert message={state.message} />
        <label htmlFor="postmortem-body" className="block text-sm font-medium">
          Postmortem (markdown)
        </label>
        <textarea
          id="postmortem-body"
          rows={24}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          className="block w-full rounded border border-gray-400 bg-white p-2 font-mono text-sm"
          {...invalidProps("postmortem-body", state.errors?.body)}
        />
        <FieldError fieldId="postmortem-body" error={state.errors?.body} label="Postmortem" />
        <label className="inline-flex items-center gap-2">
          <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} />
          Notify subscribers (once)
        </label>
        <div className="flex gap-2">
          <button type="button" disabled={pending} onClick={() => submit("preview")} className="rounded border border-blue-700 px-3 py-1.5 font-medium text-blue-800">
            Preview postmortem
          </button>
          <button type="button" disabled={pending} onClick={() => submit("publish")} className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white">
            {props.published ? "Publish changes" : "Publish postmortem"}
          </button>
        </div>
      </fieldset>
      <section aria-labelledby="pm-preview" aria-live="polite" className="rounded border border-gray-300 bg-white p-4">
        <h2 id="pm-preview" className="mb-2 font-semibold">
          Preview
        </h2>
        {state.html ? (
          <div className="admin-prose" dangerouslySetInnerHTML={{ __html: state.html }} />
        ) : (
          <p className="text-sm text-gray-700">Press Preview to see the public rendering.</p>
        )}
      </section>
    </div>
  );
}

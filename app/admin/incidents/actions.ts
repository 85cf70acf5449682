"use server";

import { refresh } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { PreviewState } from "#components/admin/update-composer.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents } from "#lib/domain/components.ts";
import { failedState, formValues, publicIdField, type FormState } from "#lib/core/forms.ts";
import { correctUpdate, declareIncident, postUpdate, previewUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { COMPONENT_STATUSES, SEVERITIES, UPDATE_STATUSES } from "#lib/core/statuses.ts";
import { composeUpdate, placeholdersIn } from "#lib/domain/templates.ts";

const composerForm = z.object({
  intent: z.enum(["preview", "publish"]),
  incidentId: publicIdField("incident").optional(),
  status: z.enum(UPDATE_STATUSES).exclude(["postmortem"]),
  title: z.string().default(""),
  body: z.string().default(""),
  severity: z.enum(SEVERITIES).optional(),
  notify: z.literal("on").optional(),
  displayAt: z.iso.datetime({ error: "must be a date and time" }).optional(),
  component: z.array(z.string().regex(new RegExp(`^[a-z0-9]{12}:(${COMPONENT_STATUSES.join("|")})$`), "is not a component and status")),
});

function parseComposer(form: FormData) {
  const raw = { ...formValues(form), component: form.getAll("component").map(String) };
  const parsed = composerForm.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] === "component" ? "components" : issue.path[0])] ??= issue.message;
    return { errors } as const;
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (key.startsWith("field.") && typeof value === "string") fields[key.slice(6)] = value;
  const components = parsed.data.component.map((c) => {
    const [id, status] = c.split(":");
    return { id, status: status as (typeof COMPONENT_STATUSES)[number] };
  });
  return { data: parsed.data, fields, components } as const;
}

/*
 * Declare and post share one flow: compose from the template and fields,
 * preview (page rendering, email, recipient count), and publish only when
 * nothing is left unfilled.
 */
async function composeAndMaybePublish(
  { db, actor }: Awaited<ReturnType<typeof requireSession>>,
  form: FormData,
  mode: "declare" | "update",
): Promise<PreviewState & { publishedId?: string }> {
  const parsed = parseComposer(form);
  if ("errors" in parsed) return { errors: parsed.errors, message: "Please fix the highlighted fields." };
  const { data, fields, components } = parsed;
  const all = await listComponents(db);
  const names = components.map((c) => all.find((x) => x.id === c.id)?.name).filter((n): n is string => !!n);
  const composed = composeUpdate({ title: mode === "declare" ? data.title : "", body: data.body, values: fields, componentNames: names });
  const fieldErrors = Object.fromEntries(composed.missing.map((m) => [`field.${m}`, "must be filled before publishing"]));
  const preview = await previewUpdate(db, {
    incidentId: data.incidentId,
    name: composed.title,
    status: data.status,
    body: composed.body || " ",
    components,
  }).catch((error: unknown) => failedState(error, {}));
  if (!("html" in preview)) return preview;
  const previewState = {
    title: composed.title,
    html: preview.html,
    recipients: preview.delivery.recipients,
    delivery: { mode: preview.delivery.mode, seconds: preview.delivery.seconds },
    missing: composed.missing,
    emailHtml: preview.email.html,
  };
  if (data.intent === "preview") return { preview: previewState, errors: composed.missing.length ? fieldErrors : undefined };
  if (composed.missing.length > 0) {
    return {
      preview: previewState,
      errors: fieldErrors,
      message: `Not published: fill ${composed.missing.map((m) => `{{${m}}}`).join(", ")} first.`,
    };
  }
  try {
    if (mode === "declare") {
      const { incident } = await declareIncident(db, actor, {
        name: composed.title,
        severity: data.severity,
        status: data.status,
        body: composed.body,
        components,
        startedAt: data.displayAt,
        notify: data.notify === "on",
      });
      return { publishedId: incident.id };
    }
    await postUpdate(db, actor, {
      incidentId: data.incidentId,
      severity: data.severity,
      status: data.status,
      body: composed.body,
      components,
      displayAt: data.displayAt,
      notify: data.notify === "on",
    });
    return { publishedId: data.incidentId };
  } catch (error) {
    const failed = failedState(error, {}, { name: "title", startedAt: "displayAt" });
    return { ...failed, preview: previewState };
  }
}

export async function declareAction(_state: PreviewState, form: FormData): Promise<PreviewState> {
  const session = await requireSession("editor");
  const result = await composeAndMaybePublish(session, form, "declare");
  if (result.publishedId) redirect(`/admin/incidents/${result.publishedId}`);
  return result;
}

export async function postUpdateAction(_state: PreviewState, form: FormData): Promise<PreviewState> {
  const session = await requireSession("editor");
  const result = await composeAndMaybePublish(session, form, "update");
  if (result.publishedId) redirect(`/admin/incidents/${result.publishedId}`);
  return result;
}

export async function correctUpdateAction(_state: FormState, form: FormData): Promise<FormState> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  try {
    await correctUpdate(db, actor, { updateId: values.updateId, body: values.body });
    refresh();
    return { ok: true, message: "Correction saved.", values };
  } catch (error) {
    return failedState(error, values);
  }
}

export async function postmortemAction(_state: FormState & { html?: string }, form: FormData): Promise<FormState & { html?: string }> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  if (values.intent === "preview") return { values, html: renderMarkdown(values.body ?? "") };
  const unfilled = placeholdersIn(values.body ?? "");
  if (unfilled.length > 0) {
    return { values, errors: { body: `still has unfilled placeholders: ${unfilled.map((p) => `{{${p}}}`).join(", ")}` } };
  }
  try {
    await publishPostmortem(db, actor, { incidentId: values.incidentId, body: values.body, notify: values.notify === "on" });
  } catch (error) {
    return failedState(error, values);
  }
  redirect(`/admin/incidents/${values.incidentId}`);
}

"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { PreviewState } from "#components/admin/update-composer.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, publicIdField, zonedDateTime, type FormState } from "#lib/core/forms.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { placeholderList } from "#lib/core/placeholders.ts";
import { COMPONENT_STATUSES, SEVERITIES, UPDATE_STATUSES } from "#lib/core/statuses.ts";
import { previewDraft, publishDraft, type UpdateDraft } from "#lib/domain/drafts.ts";
import { correctUpdate } from "#lib/domain/incident-details.ts";
import { publishPostmortem } from "#lib/domain/incidents.ts";
import { setMilestones } from "#lib/domain/milestones.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formWrite } from "../form-write.ts";

const composerForm = z.object({
  intent: z.enum(["preview", "publish"]),
  incidentId: publicIdField("incident").optional(),
  fromReports: z.string().max(100).optional(),
  status: z.enum(UPDATE_STATUSES).exclude(["postmortem"]),
  title: z.string().default(""),
  body: z.string().default(""),
  severity: z.enum(SEVERITIES).optional(),
  notify: z.literal("on").optional(),
  displayAt: z.iso.datetime({ error: "must be a date and time" }).optional(),
  detectedAt: z.iso.datetime({ error: "must be a date and time" }).optional(),
  acknowledgedAt: z.iso.datetime({ error: "must be a date and time" }).optional(),
  component: z.array(z.string().regex(new RegExp(`^[a-z0-9]{12}:(${COMPONENT_STATUSES.join("|")})$`), "is not a component and status")),
});

function parseComposer(form: FormData, mode: UpdateDraft["mode"]) {
  const raw = { ...formValues(form), component: form.getAll("component").map(String) };
  const parsed = composerForm.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] === "component" ? "components" : issue.path[0])] ??= issue.message;
    return { errors } as const;
  }
  const { intent, component, notify, ...data } = parsed.data;
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) if (key.startsWith("field.") && typeof value === "string") values[key.slice(6)] = value;
  const components = component.map((c) => {
    const [id, status] = c.split(":");
    return { id, status: status as (typeof COMPONENT_STATUSES)[number] };
  });
  const draft: UpdateDraft = { ...data, mode, values, components, notify: notify === "on" };
  return { intent, draft } as const;
}

/** Each unfilled placeholder's error goes next to its field. */
function unfilledErrors(missing: string[]): Record<string, string> {
  return Object.fromEntries(missing.map((m) => [`field.${m}`, "must be filled before publishing"]));
}

/*
 * Declare and post share one flow: preview the draft (page rendering, email,
 * recipient count), and publish it when asked; the domain refuses to
 * publish while a placeholder is unfilled.
 */
async function previewAndMaybePublish(
  { db, actor }: Awaited<ReturnType<typeof requireSession>>,
  form: FormData,
  mode: UpdateDraft["mode"],
): Promise<PreviewState & { publishedId?: string }> {
  const parsed = parseComposer(form, mode);
  if ("errors" in parsed) return { errors: parsed.errors, message: "Please fix the highlighted fields." };
  const { intent, draft } = parsed;
  let preview: PreviewState["preview"];
  try {
    const shown = await previewDraft(db, draft);
    preview = {
      title: shown.title,
      html: shown.html,
      recipients: shown.delivery.recipients,
      delivery: { mode: shown.delivery.mode, seconds: shown.delivery.seconds },
      missing: shown.missing,
      emailHtml: shown.email.html,
    };
  } catch (error) {
    return failedState(error, {});
  }
  if (intent === "preview") return { preview, errors: preview.missing.length ? unfilledErrors(preview.missing) : undefined };
  try {
    const published = await publishDraft(db, actor, draft);
    if ("incidentId" in published) return { publishedId: published.incidentId };
    return { preview, errors: unfilledErrors(published.unfilled), message: `Not published: fill ${placeholderList(published.unfilled)} first.` };
  } catch (error) {
    return { ...failedState(error, {}, { name: "title", startedAt: "displayAt" }), preview };
  }
}

export async function declareAction(_state: PreviewState, form: FormData): Promise<PreviewState> {
  const session = await requireSession("editor");
  const result = await previewAndMaybePublish(session, form, "declare");
  if (result.publishedId) redirect(`/admin/incidents/${result.publishedId}`);
  return result;
}

export async function postUpdateAction(_state: PreviewState, form: FormData): Promise<PreviewState> {
  const session = await requireSession("editor");
  const result = await previewAndMaybePublish(session, form, "update");
  if (result.publishedId) redirect(`/admin/incidents/${result.publishedId}`);
  return result;
}

export async function correctUpdateAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await correctUpdate(db, actor, { updateId: values.updateId, body: values.body });
    return { ok: true, message: "Correction saved.", values };
  });
}

/* Times come in the page's zone (datetime-local); an empty detected or acknowledged time goes back to the declaration. */
export async function milestonesAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    const { time_zone: zone } = await getPage(db);
    const at = (value: string | undefined) => (value ? (zonedDateTime(value, zone) ?? value) : value);
    await setMilestones(db, actor, {
      incidentId: values.incidentId,
      startedAt: at(values.startedAt) || undefined,
      detectedAt: at(values.detectedAt),
      acknowledgedAt: at(values.acknowledgedAt),
    });
    return { ok: true, message: "Milestones saved.", values };
  });
}

export async function postmortemAction(_state: FormState & { html?: string }, form: FormData): Promise<FormState & { html?: string }> {
  const { db, actor } = await requireSession("editor");
  const values = formValues(form);
  if (values.intent === "preview") return { values, html: renderMarkdown(values.body ?? "") };
  try {
    await publishPostmortem(db, actor, { incidentId: values.incidentId, body: values.body, notify: values.notify === "on" });
  } catch (error) {
    return failedState(error, values);
  }
  redirect(`/admin/incidents/${values.incidentId}`);
}

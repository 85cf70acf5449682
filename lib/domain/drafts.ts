import type { Db } from "#db/client.ts";
import type { ComponentStatus, Severity, UpdateStatus } from "#db/schema.ts";
import { renderUpdateEmail } from "#emails/render.tsx";
import type { MailUpdate } from "#emails/types.ts";
import { invalidInput, type FieldIssue } from "#lib/core/errors.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { fillTemplate } from "#lib/core/placeholders.ts";
import { impactMeta } from "#lib/core/statuses.ts";
import { formatDateTime, formatDuration } from "#lib/core/time.ts";
import { estimateDelivery } from "#lib/delivery/enqueue.ts";
import type { Actor } from "./actors.ts";
import { currentStatuses, listComponents, listGroups } from "./components.ts";
import { declareIncident, getIncidentForAdmin, postUpdate } from "./incidents.ts";
import { scheduleMaintenance } from "./maintenance.ts";
import { getPage } from "./page-settings.ts";
import { listTemplates } from "./templates.ts";

/*
 * Drafts: what the admin writes from a template before anything is
 * published. A draft is filled from its placeholder fields, previewed
 * exactly as the public and subscribers will see it, and published only
 * once no placeholder is left unfilled.
 */

/** "API", "API and Dashboard", "API, Dashboard and Webhooks". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * Fill an update's title and body: `{{components}}` comes from the chosen
 * components, the rest from the placeholder fields. `missing` names every
 * placeholder still unfilled — publishing must wait for it.
 */
export function composeUpdate(input: {
  title?: string;
  body: string;
  values: Partial<Record<string, string>>;
  componentNames: string[];
}): { title: string; body: string; missing: string[] } {
  const values = { ...input.values, components: listNames(input.componentNames) || input.values.components };
  const title = fillTemplate(input.title ?? "", values);
  const body = fillTemplate(input.body, values);
  return { title: title.text, body: body.text, missing: [...new Set([...title.missing, ...body.missing])] };
}

/** Declaring an incident, or posting an update to one, as the admin composes it. */
export interface UpdateDraft {
  mode: "declare" | "update";
  incidentId?: string;
  status: Exclude<UpdateStatus, "postmortem">;
  /** The new incident's name (declaring only). */
  title: string;
  body: string;
  /** The placeholder fields, by placeholder name. */
  values: Record<string, string>;
  components: { id: string; status: ComponentStatus }[];
  severity?: Severity;
  displayAt?: string;
  /** Declaring only (lib/core/milestones.ts). */
  detectedAt?: string;
  acknowledgedAt?: string;
  notify: boolean;
  /** Declaring from a group of problem reports (lib/domain/report-followups.ts reportGroupRef). */
  fromReports?: string;
}

async function composeDraft(db: Db, draft: UpdateDraft) {
  const all = await listComponents(db);
  const names = draft.components.map((c) => all.find((x) => x.id === c.id)?.name).filter((n): n is string => !!n);
  return composeUpdate({ title: draft.mode === "declare" ? draft.title : "", body: draft.body, values: draft.values, componentNames: names });
}

/** The draft filled and shown as it would go out; `missing` names the placeholders still to fill. */
export async function previewDraft(db: Db, draft: UpdateDraft) {
  const composed = await composeDraft(db, draft);
  const preview = await previewUpdate(db, {
    incidentId: draft.incidentId,
    name: composed.title,
    status: draft.status,
    body: composed.body || " ",
    components: draft.components,
  });
  return { title: composed.title, missing: composed.missing, ...preview };
}

export type DraftPreview = Awaited<ReturnType<typeof previewDraft>>;

/**
 * Publish the draft: declare the incident or post the update. While a
 * placeholder is unfilled nothing is written, and `unfilled` names them.
 */
export async function publishDraft(db: Db, actor: Actor, draft: UpdateDraft): Promise<{ incidentId: string } | { unfilled: string[] }> {
  const composed = await composeDraft(db, draft);
  if (composed.missing.length > 0) return { unfilled: composed.missing };
  const change = { status: draft.status, severity: draft.severity, body: composed.body, components: draft.components, notify: draft.notify };
  const { incident } =
    draft.mode === "declare"
      ? await declareIncident(db, actor, { ...change, name: composed.title, startedAt: draft.displayAt, detectedAt: draft.detectedAt, acknowledgedAt: draft.acknowledgedAt, fromReports: draft.fromReports })
      : await postUpdate(db, actor, { ...change, incidentId: draft.incidentId, displayAt: draft.displayAt });
  return { incidentId: incident.id };
}

/**
 * What the admin sees before publishing: the update as the public page will
 * render it, the email exactly as it will go out (the whole timeline, with
 * this update first), and how many active subscribers it would notify
 * (their component choices respected).
 */
export async function previewUpdate(
  db: Db,
  input: { incidentId?: string; name: string; status: UpdateStatus; body: string; components: { id: string; status: ComponentStatus }[] },
) {
  const page = await getPage(db);
  const ids = input.components.map((c) => c.id);
  const current = new Map((await currentStatuses(db, ids)).map((c) => [c.id, c]));
  const [existing, groups] = await Promise.all([input.incidentId ? getIncidentForAdmin(db, input.incidentId) : null, listGroups(db)]);
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));
  const draft: MailUpdate = {
    id: "preview",
    status: input.status,
    body: input.body,
    display_at: new Date(),
    changes: input.components.flatMap((c) => {
      const before = current.get(c.id);
      return before
        ? [{ component_id: c.id, component_name: before.name, group_name: groupNames.get(before.group_id ?? "") ?? null, old_status: before.status, new_status: c.status }]
        : [];
    }),
  };
  const incident = existing?.incident;
  const email = await renderUpdateEmail({
    page: { name: page.name, url: pageUrl(page.url), timeZone: page.time_zone },
    locale: page.default_locale,
    incident: {
      id: incident?.id ?? "preview",
      reference: incident?.reference ?? "INC-new",
      kind: incident?.kind ?? "incident",
      name: incident?.name ?? input.name,
      scheduledFor: incident?.scheduled_for ?? null,
      scheduledUntil: incident?.scheduled_until ?? null,
      sequence: incident?.sequence ?? 0,
      cancelled: !!incident?.cancelled_at,
      postmortemBody: null,
      impact: incident?.impact ?? null,
      // The promise is made when the update is posted (its time decides it).
      nextUpdateDueAt: null,
    },
    updates: [draft, ...(existing?.updates ?? [])],
    reason: "update",
    mode: "attach",
  });
  const linked = existing ? existing.components.map((c) => c.id) : [];
  return {
    html: renderMarkdown(input.body),
    email: { subject: email.subject, html: email.html },
    delivery: await estimateDelivery(db, [...new Set([...ids, ...linked])]),
  };
}

/** A maintenance as the admin schedules it from a template. */
export interface MaintenanceDraft {
  templateId?: string;
  /** The title; the template's when blank. */
  name?: string;
  description?: string;
  components: string[];
  /** null: not given, or not a date and time. */
  scheduledFor: Date | null;
  scheduledUntil: Date | null;
  remindPrior: boolean;
  notify: boolean;
}

/**
 * Schedule the maintenance, its text filled from the template with the
 * window in the page's time zone. While a placeholder is unfilled nothing
 * is written, and `unfilled` names them.
 */
export async function scheduleDraft(db: Db, actor: Actor, draft: MaintenanceDraft): Promise<{ title: string } | { unfilled: string[] }> {
  const page = await getPage(db);
  const issues: FieldIssue[] = [];
  if (!draft.scheduledFor) issues.push({ field: "scheduledFor", message: "must be a date and time" });
  if (!draft.scheduledUntil) issues.push({ field: "scheduledUntil", message: "must be a date and time" });
  const template = (await listTemplates(db)).find((t) => t.id === draft.templateId);
  if (!template) issues.push({ field: "templateId", message: "is required" });
  if (!template || !draft.scheduledFor || !draft.scheduledUntil) throw invalidInput(issues);
  const all = await listComponents(db);
  const composed = composeUpdate({
    title: draft.name || template.title,
    body: template.body,
    values: {
      description: draft.description,
      start: formatDateTime(draft.scheduledFor, page.time_zone),
      end: formatDateTime(draft.scheduledUntil, page.time_zone),
    },
    componentNames: all.filter((c) => draft.components.includes(c.id)).map((c) => c.name),
  });
  if (composed.missing.length > 0) return { unfilled: composed.missing };
  await scheduleMaintenance(db, actor, {
    name: composed.title,
    body: composed.body,
    components: draft.components,
    scheduledFor: draft.scheduledFor,
    scheduledUntil: draft.scheduledUntil,
    remindPrior: draft.remindPrior,
    notify: draft.notify,
  });
  return { title: composed.title };
}

/**
 * The postmortem's timeline section, generated from the updates (oldest
 * first): one line per update with its time and status.
 */
export function timelineMarkdown(updates: { display_at: Date; status: UpdateStatus; body: string }[], formatTime: (d: Date) => string): string {
  return [...updates]
    .sort((a, b) => a.display_at.getTime() - b.display_at.getTime())
    .map((u) => `- **${formatTime(u.display_at)}** — ${u.status}: ${u.body.split("\n")[0]}`)
    .join("\n");
}

/**
 * The postmortem's first text: the postmortem template with everything the
 * incident already knows filled in; the rest stays as {{placeholders}} to write.
 */
export async function draftPostmortem(db: Db, view: Awaited<ReturnType<typeof getIncidentForAdmin>>): Promise<string> {
  const [templates, page] = await Promise.all([listTemplates(db), getPage(db)]);
  const { incident, updates } = view;
  const template = templates.find((t) => t.kind === "postmortem" && t.is_default) ?? templates.find((t) => t.kind === "postmortem");
  return fillTemplate(template?.body ?? "", {
    components: listNames(view.components.map((c) => c.name)),
    impact: impactMeta[incident.impact].label,
    duration: incident.resolved_at ? formatDuration(incident.resolved_at.getTime() - incident.started_at.getTime()) : "",
    timeline: timelineMarkdown(updates, (d) => formatDateTime(d, page.time_zone)),
    incident: incident.name,
  }).text;
}

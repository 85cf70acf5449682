import { z } from "zod";
import type { Db } from "#db/client.ts";
import type { TemplateRow } from "#db/schema.ts";
import { INCIDENT_UPDATE_STATUSES, MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { createTemplate, listTemplates, templateInput } from "#lib/domain/templates.ts";
import { flag, list, optional, parseBody, parseQuery } from "./bodies.ts";
import { asClientFields } from "./incident-writes.ts";

/*
 * …/incident_templates: Candor's incident and maintenance templates as
 * Statuspage's IncidentTemplate objects. A template's kind follows from its
 * update_status; Candor's templates name no components (their text may
 * use {{components}}), so component_ids is accepted and not kept.
 */

export const templateListQuery = z.object({
  per_page: z.coerce.number().int().min(1).max(100).default(100),
  page: z.coerce.number().int().min(1).default(1),
});

const fields = templateInput.shape;

export const templateBody = z.object({
  template: z.object({
    name: fields.name,
    title: optional(fields.title),
    body: fields.body,
    update_status: z.enum([...INCIDENT_UPDATE_STATUSES, ...MAINTENANCE_STATUSES]).default("investigating"),
    group_id: optional(z.string().max(64)),
    should_tweet: optional(flag),
    should_send_notifications: optional(flag),
    component_ids: optional(list(z.string().max(64))),
  }),
});

function present(t: TemplateRow) {
  return {
    id: t.id,
    components: [],
    name: t.name,
    title: t.title,
    body: t.body,
    group_id: null,
    update_status: t.status,
    should_tweet: false,
    should_send_notifications: true,
  };
}

/** GET …/incident_templates: incident and maintenance templates (postmortem ones have no place in Statuspage). */
export async function readTemplates(db: Db, query: URLSearchParams) {
  const { per_page, page } = parseQuery(templateListQuery, query);
  const rows = (await listTemplates(db)).filter((t) => t.kind !== "postmortem");
  return rows.slice((page - 1) * per_page, page * per_page).map(present);
}

/** POST …/incident_templates. */
export async function createIncidentTemplate(db: Db, actor: Actor, raw: unknown) {
  const t = parseBody(templateBody, raw).template;
  const kind = (MAINTENANCE_STATUSES as readonly string[]).includes(t.update_status) ? "maintenance" : "incident";
  const created = await asClientFields(
    "template",
    () => createTemplate(db, actor, { kind, status: t.update_status, name: t.name, title: t.title ?? "", body: t.body }),
    { status: "update_status" },
  );
  return { status: 201, body: present(created) };
}

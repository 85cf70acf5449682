import { z } from "zod";
import { dateField, dateTimeField, metadataField } from "#lib/core/forms.ts";
import { IMPACTS, INCIDENT_UPDATE_STATUSES, MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";
import { componentInput, componentStatusSchema, groupInput } from "#lib/domain/components.ts";
import { correctionInput } from "#lib/domain/incident-details.ts";
import { declareInput } from "#lib/domain/incidents.ts";
import { pageSettingsInput } from "#lib/domain/page-settings.ts";
import { flag, list, optional } from "./bodies.ts";

/*
 * What Statuspage's v1 write endpoints accept, wrapped as its clients send
 * them ({"incident": {...}} or incident[...]=...). Each field reuses the
 * domain's own schema for the same value, so the v1 edge refuses exactly
 * what the domain would, under the client's field name; fields Candor has
 * no use for are accepted and ignored (docs/statuspage-v1.md lists them).
 */

const id = z.string().min(1).max(64);

const componentMap = z.record(id, componentStatusSchema);
const componentList = list(id);

/**
 * `components`: a map {component_id: status}, or (some clients) a list of
 * ids. Chosen by shape rather than as a union, so a bad status is named by
 * its component (incident.components.<id>) instead of "matches neither".
 */
const componentsField = z
  .unknown()
  .transform((value, ctx): z.output<typeof componentMap> | z.output<typeof componentList> => {
    const isList = Array.isArray(value) || typeof value === "string";
    const parsed = (isList ? componentList : componentMap).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  })
  .meta({ description: "A map of component id to status, or a list of component ids." });

export const incidentFields = z.object({
  name: optional(declareInput.shape.name),
  status: optional(z.enum([...INCIDENT_UPDATE_STATUSES, ...MAINTENANCE_STATUSES])),
  /** "" clears the override (a form cannot send null). */
  impact_override: z.preprocess((v) => (v === "" ? null : v), z.enum([...IMPACTS, "maintenance"]).nullish()),
  body: optional(declareInput.shape.body),
  components: optional(componentsField),
  component_ids: optional(list(id)),
  deliver_notifications: flag.default(true),
  metadata: optional(metadataField),
  backfilled: flag.default(false),
  backfill_date: optional(dateTimeField),
  scheduled_for: optional(dateTimeField),
  scheduled_until: optional(dateTimeField),
  scheduled_remind_prior: optional(flag),
  scheduled_auto_in_progress: optional(flag),
  scheduled_auto_completed: optional(flag),
  scheduled_auto_transition: optional(flag),
  // Candor's clock always moves a maintenance's components and tells subscribers: these are accepted, not stored.
  auto_transition_to_maintenance_state: optional(flag),
  auto_transition_to_operational_state: optional(flag),
  auto_transition_deliver_notifications_at_start: optional(flag),
  auto_transition_deliver_notifications_at_end: optional(flag),
});

export const incidentBody = z.object({ incident: incidentFields });
export type IncidentFields = z.output<typeof incidentFields>;

export const incidentUpdateBody = z.object({
  incident_update: z.object({
    body: correctionInput.shape.body,
    // A correction is silent and keeps its time: these are accepted, not applied.
    display_at: optional(dateTimeField),
    deliver_notifications: optional(flag),
    wants_twitter_update: optional(flag),
  }),
});

export const componentBody = z.object({
  component: z.object({
    name: optional(componentInput.shape.name),
    description: z.preprocess((v) => (v === null ? "" : v), componentInput.shape.description),
    status: optional(componentStatusSchema),
    group_id: z.preprocess((v) => (v === "" ? null : v), id.nullish()),
    showcase: optional(flag),
    only_show_if_degraded: optional(flag),
    start_date: optional(dateField.nullable()),
  }),
});
export type ComponentFields = z.output<typeof componentBody>["component"];

export const groupBody = z.object({
  component_group: z.object({
    name: optional(groupInput.shape.name),
    description: groupInput.shape.description,
    components: optional(list(id)),
  }),
  // The reference puts a group's description beside the object, clients inside it: both are read.
  description: groupInput.shape.description,
});

export const pageBody = z.object({
  page: z.object({
    name: optional(pageSettingsInput.shape.name),
    url: optional(pageSettingsInput.shape.url),
    time_zone: optional(z.string()),
    support_url: z.preprocess((v) => (v === "" ? null : v), pageSettingsInput.shape.supportUrl),
  }),
});

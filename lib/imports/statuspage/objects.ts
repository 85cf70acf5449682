import { z } from "zod";
import { COMPONENT_STATUSES, IMPACTS } from "#lib/core/statuses.ts";

/*
 * Statuspage's objects as its public API (/api/v2) and management API (/v1)
 * send them, parsed leniently: what Candor imports is checked, the rest
 * (tweets, page access users, fields added later) passes. A value Candor
 * does not know (a status, an impact) falls back to a neutral one rather
 * than failing the whole import; ./apply.ts reports what it changed.
 */
const id = z.string().min(1).max(100);
const time = z.iso.datetime({ offset: true });
const optionalText = z.string().nullish().transform((v) => v ?? "");

export const componentStatus = z.enum(COMPONENT_STATUSES).catch("operational");

export const pageObject = z.looseObject({
  id,
  name: z.string().min(1),
  url: z.string().nullish(),
  time_zone: z.string().nullish(),
  support_url: z.string().nullish(),
});

export const componentObject = z.looseObject({
  id,
  name: z.string().min(1),
  description: z.string().nullish(),
  status: componentStatus,
  position: z.number().int().nullish(),
  group_id: id.nullish(),
  group: z.boolean().nullish(),
  showcase: z.boolean().nullish(),
  only_show_if_degraded: z.boolean().nullish(),
  start_date: z.string().nullish(),
  created_at: time.nullish(),
  /** A group's members (groups only). */
  components: z.array(id).nullish(),
});
export type StatuspageComponent = z.output<typeof componentObject>;

export const groupObject = z.looseObject({
  id,
  name: z.string().min(1),
  description: z.string().nullish(),
  position: z.number().int().nullish(),
  components: z.array(id).nullish(),
});
export type StatuspageGroup = z.output<typeof groupObject>;

const affectedComponent = z.looseObject({ code: id, name: z.string().nullish(), old_status: componentStatus.nullish(), new_status: componentStatus });

export const updateObject = z.looseObject({
  id,
  status: z.string(),
  body: optionalText,
  created_at: time,
  display_at: time.nullish(),
  affected_components: z.array(affectedComponent).nullish(),
});
export type StatuspageUpdate = z.output<typeof updateObject>;

export const incidentObject = z.looseObject({
  id,
  name: z.string().min(1),
  status: z.string(),
  impact: z.enum([...IMPACTS, "maintenance"]).catch("none"),
  created_at: time,
  resolved_at: time.nullish(),
  scheduled_for: time.nullish(),
  scheduled_until: time.nullish(),
  scheduled_remind_prior: z.boolean().nullish(),
  scheduled_auto_in_progress: z.boolean().nullish(),
  scheduled_auto_completed: z.boolean().nullish(),
  postmortem_body: z.string().nullish(),
  postmortem_published_at: time.nullish(),
  incident_updates: z.array(updateObject).default([]),
  components: z.array(z.looseObject({ id })).nullish(),
});
export type StatuspageIncident = z.output<typeof incidentObject>;

export const subscriberObject = z.looseObject({
  id,
  mode: z.string().nullish(),
  email: z.string().nullish(),
  quarantined_at: time.nullish(),
  purge_at: time.nullish(),
  components: z.array(z.union([id, z.looseObject({ id })])).nullish(),
});
export type StatuspageSubscriber = z.output<typeof subscriberObject>;

export const templateObject = z.looseObject({
  id,
  name: z.string().min(1),
  title: z.string().nullish(),
  body: optionalText,
  update_status: z.string().nullish(),
});
export type StatuspageTemplate = z.output<typeof templateObject>;

/** Everything one import reads, whichever API it came from. */
export interface StatuspageExport {
  /** Where it came from, for the mappings: "statuspage:<page id>". */
  source: string;
  page: z.output<typeof pageObject>;
  groups: StatuspageGroup[];
  /** Not groups: the components themselves, in display order. */
  components: StatuspageComponent[];
  /** Incidents and scheduled maintenance, any order. */
  incidents: StatuspageIncident[];
  subscribers: StatuspageSubscriber[] | null;
  templates: StatuspageTemplate[] | null;
  /** What this API could not show, said plainly in the report. */
  unseen: string[];
}

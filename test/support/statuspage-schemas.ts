/*
 * Zod schemas written from payloads of real Statuspage pages (not from our code), in
 * strict mode: an extra key fails like atc0005/check-statuspage's
 * DisallowUnknownFields, a missing or mistyped one like JDA's hard getters.
 * The KEYS arrays are the key orders real pages send.
 */
import { z } from "zod";

const id = z.string().regex(/^[a-z0-9]{12}$/);
/** RFC 3339 with milliseconds, `Z` or a numeric offset (§1 Timestamps). */
export const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const componentStatus = z.enum(["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);
const incidentStatus = z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem"]);
const maintenanceStatus = z.enum(["scheduled", "in_progress", "verifying", "completed"]);

export const KEYS = {
  envelope: {
    status: ["page", "status"],
    summary: ["page", "components", "incidents", "scheduled_maintenances", "status"],
    components: ["page", "components"],
    incidents: ["page", "incidents"],
    maintenances: ["page", "scheduled_maintenances"],
  },
  page: ["id", "name", "url", "time_zone", "updated_at"],
  status: ["indicator", "description"],
  component: [
    "id", "name", "status", "created_at", "updated_at", "position", "description", "showcase", "start_date",
    "group_id", "page_id", "group", "only_show_if_degraded",
  ],
  incident: [
    "id", "name", "status", "created_at", "updated_at", "monitoring_at", "resolved_at", "impact", "shortlink",
    "started_at", "page_id", "incident_updates", "components", "reminder_intervals",
  ],
  update: [
    "id", "status", "body", "incident_id", "created_at", "updated_at", "display_at", "affected_components",
    "deliver_notifications", "custom_tweet", "tweet_id",
  ],
  affected: ["code", "name", "old_status", "new_status"],
};

export const pageSchema = z.strictObject({
  id,
  name: z.string().min(1),
  url: z.url().refine((u) => !u.endsWith("/"), "no trailing slash"),
  time_zone: z.string().min(1),
  updated_at: timestamp,
});

export const statusSchema = z.strictObject({
  indicator: z.enum(["none", "minor", "major", "critical", "maintenance"]),
  description: z.enum([
    "All Systems Operational",
    "Major System Outage",
    "Partial System Outage",
    "Minor Service Outage",
    "Degraded System Service",
    "Partially Degraded Service",
    "Service Under Maintenance",
  ]),
});

const componentFields = {
  id,
  name: z.string().min(1),
  status: componentStatus,
  created_at: timestamp,
  updated_at: timestamp,
  position: z.number().int(),
  description: z.string().nullable(),
  showcase: z.boolean(),
  start_date: date.nullable(),
  group_id: id.nullable(),
  page_id: id,
  only_show_if_degraded: z.boolean(),
};

export const componentSchema = z.strictObject({ ...componentFields, group: z.literal(false) });
export const groupSchema = z.strictObject({
  ...componentFields,
  group_id: z.null(),
  group: z.literal(true),
  components: z.array(id),
});
export const componentRowSchema = z.union([componentSchema, groupSchema]);

const affectedSchema = z.strictObject({ code: id, name: z.string().min(1), old_status: componentStatus, new_status: componentStatus });

const updateSchema = (status: z.ZodType) =>
  z.strictObject({
    id,
    status,
    body: z.string(),
    incident_id: id,
    created_at: timestamp,
    updated_at: timestamp,
    display_at: timestamp,
    affected_components: z.array(affectedSchema).nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.null(),
    tweet_id: z.null(),
  });

const incidentFields = {
  id,
  name: z.string().min(1).max(255),
  status: incidentStatus,
  created_at: timestamp,
  updated_at: timestamp,
  monitoring_at: timestamp.nullable(),
  resolved_at: timestamp.nullable(),
  impact: z.enum(["none", "minor", "major", "critical"]),
  shortlink: z.url(),
  started_at: timestamp,
  page_id: id,
  incident_updates: z.array(updateSchema(incidentStatus)).min(1),
  components: z.array(componentSchema),
  reminder_intervals: z.null(),
};

export const incidentSchema = z.strictObject(incidentFields);
export const maintenanceSchema = z.strictObject({
  ...incidentFields,
  status: maintenanceStatus,
  impact: z.enum(["none", "minor", "major", "critical", "maintenance"]),
  incident_updates: z.array(updateSchema(maintenanceStatus)).min(1),
  scheduled_for: timestamp,
  scheduled_until: timestamp,
});

export const envelopes = {
  "status.json": z.strictObject({ page: pageSchema, status: statusSchema }),
  "summary.json": z.strictObject({
    page: pageSchema,
    components: z.array(componentRowSchema),
    incidents: z.array(incidentSchema.extend({ status: z.enum(["investigating", "identified", "monitoring"]) })),
    scheduled_maintenances: z.array(maintenanceSchema.extend({ status: z.enum(["scheduled", "in_progress", "verifying"]) })),
    status: statusSchema,
  }),
  "components.json": z.strictObject({ page: pageSchema, components: z.array(componentRowSchema) }),
  "incidents.json": z.strictObject({ page: pageSchema, incidents: z.array(incidentSchema).max(50) }),
  "incidents/unresolved.json": z.strictObject({
    page: pageSchema,
    incidents: z.array(incidentSchema.extend({ status: z.enum(["investigating", "identified", "monitoring"]) })).max(50),
  }),
  "scheduled-maintenances.json": z.strictObject({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema).max(50) }),
  "scheduled-maintenances/upcoming.json": z.strictObject({
    page: pageSchema,
    scheduled_maintenances: z.array(maintenanceSchema.extend({ status: z.literal("scheduled") })).max(50),
  }),
  "scheduled-maintenances/active.json": z.strictObject({
    page: pageSchema,
    scheduled_maintenances: z.array(maintenanceSchema.extend({ status: z.enum(["in_progress", "verifying"]) })).max(50),
  }),
} as const;

export type EnvelopePath = keyof typeof envelopes;
export const ENVELOPE_PATHS = Object.keys(envelopes) as EnvelopePath[];

/** `incidents/<id>.json`: the incident object plus its postmortem (undocumented by Statuspage, but widely read). */
export const singleIncidentSchema = z.strictObject({
  page: pageSchema,
  incident: z.union([
    incidentSchema.extend({ postmortem_body: z.string().nullable(), postmortem_published_at: timestamp.nullable() }),
    maintenanceSchema.extend({ postmortem_body: z.null(), postmortem_published_at: z.null() }),
  ]),
});

const envelopeKeys: Record<EnvelopePath, string[]> = {
  "status.json": KEYS.envelope.status,
  "summary.json": KEYS.envelope.summary,
  "components.json": KEYS.envelope.components,
  "incidents.json": KEYS.envelope.incidents,
  "incidents/unresolved.json": KEYS.envelope.incidents,
  "scheduled-maintenances.json": KEYS.envelope.maintenances,
  "scheduled-maintenances/upcoming.json": KEYS.envelope.maintenances,
  "scheduled-maintenances/active.json": KEYS.envelope.maintenances,
};

type Json = Record<string, unknown>;

function sameKeys(where: string, actual: Json, expected: string[], problems: string[]) {
  const keys = Object.keys(actual);
  if (keys.join() !== expected.join()) problems.push(`${where}: keys ${keys.join(",")} instead of ${expected.join(",")}`);
}

function incidentKeyProblems(where: string, incident: Json, maintenance: boolean, problems: string[]) {
  sameKeys(where, incident, maintenance ? [...KEYS.incident, "scheduled_for", "scheduled_until"] : KEYS.incident, problems);
  (incident.incident_updates as Json[]).forEach((u, i) => {
    sameKeys(`${where}.incident_updates[${i}]`, u, KEYS.update, problems);
    ((u.affected_components as Json[] | null) ?? []).forEach((a, j) =>
      sameKeys(`${where}.incident_updates[${i}].affected_components[${j}]`, a, KEYS.affected, problems),
    );
  });
  (incident.components as Json[]).forEach((c, i) => sameKeys(`${where}.components[${i}]`, c, KEYS.component, problems));
}

/** Where a (schema-valid) payload's key order differs from the one real pages send; empty when it matches. */
export function keyOrderProblems(path: EnvelopePath, payload: unknown): string[] {
  const problems: string[] = [];
  const json = payload as Json;
  sameKeys("envelope", json, envelopeKeys[path], problems);
  sameKeys("page", json.page as Json, KEYS.page, problems);
  if (json.status) sameKeys("status", json.status as Json, KEYS.status, problems);
  ((json.components as Json[] | undefined) ?? []).forEach((c, i) =>
    sameKeys(`components[${i}]`, c, c.group ? [...KEYS.component, "components"] : KEYS.component, problems),
  );
  ((json.incidents as Json[] | undefined) ?? []).forEach((x, i) => incidentKeyProblems(`incidents[${i}]`, x, false, problems));
  ((json.scheduled_maintenances as Json[] | undefined) ?? []).forEach((x, i) =>
    incidentKeyProblems(`scheduled_maintenances[${i}]`, x, true, problems),
  );
  return problems;
}

/** Whether timestamps never increase along the list (newest first). */
export function isNewestFirst(values: string[]): boolean {
  const times = values.map((v) => Date.parse(v));
  return times.every((t, i) => i === 0 || t <= times[i - 1]);
}

import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { IncidentRow } from "#db/schema.ts";
import { affectedComponents, componentStatusSchema, listComponents } from "#lib/domain/components.ts";
import { loadTimeline } from "#lib/domain/timeline.ts";
import { notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { IMPACTS, INCIDENT_STATUSES, isOpenStatus, MAINTENANCE_STATUSES, SEVERITIES, UPDATE_STATUSES } from "#lib/core/statuses.ts";
import type { ListQuery } from "./schemas.ts";

/*
 * What /api/v1 answers: the zod schema of each resource, and the readers
 * that turn rows into those resources (camelCase, ISO 8601 instants).
 */

// ---------------------------------------------------------------- resources

const id = z.string().regex(PUBLIC_ID);
const dateTime = z.iso.datetime();

export const componentResource = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  groupId: id.nullable(),
  position: z.number().int(),
  status: componentStatusSchema,
  showcase: z.boolean(),
  onlyShowIfDegraded: z.boolean(),
  startDate: z.iso.date().nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

const componentChange = z.object({
  componentId: id,
  name: z.string(),
  oldStatus: componentStatusSchema,
  newStatus: componentStatusSchema,
});

export const updateResource = z.object({
  id,
  incidentId: id,
  status: z.enum(UPDATE_STATUSES),
  body: z.string().meta({ description: "Markdown." }),
  displayAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  notify: z.boolean(),
  createdBy: z.string(),
  components: z.array(componentChange),
});

const affectedComponent = z.object({ id, name: z.string() });

export const incidentSummary = z.object({
  id,
  reference: z.string().meta({ description: "Human reference, e.g. INC-2026-0042." }),
  name: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  severity: z.enum(SEVERITIES),
  impact: z.enum(IMPACTS),
  startedAt: dateTime,
  detectedAt: dateTime.nullable().meta({ description: "When the team learned of it, as given; null: taken as the declaration (`createdAt`)." }),
  acknowledgedAt: dateTime.nullable().meta({ description: "When someone took it on, as given; null: taken as the declaration." }),
  createdAt: dateTime,
  updatedAt: dateTime,
  identifiedAt: dateTime.nullable(),
  monitoringAt: dateTime.nullable(),
  resolvedAt: dateTime.nullable(),
  nextUpdateDueAt: dateTime.nullable(),
  backfilled: z.boolean(),
  postmortem: z.object({ body: z.string(), publishedAt: dateTime }).nullable(),
  components: z.array(affectedComponent),
});

const timeline = z.array(updateResource).meta({ description: "The timeline, newest first." });

export const incidentResource = incidentSummary.extend({ updates: timeline });

export const maintenanceSummary = z.object({
  id,
  reference: z.string().meta({ description: "Human reference, e.g. MNT-2026-0007." }),
  name: z.string(),
  status: z.enum(MAINTENANCE_STATUSES),
  impact: z.enum([...IMPACTS, "maintenance"]),
  scheduledFor: dateTime,
  scheduledUntil: dateTime,
  autoTransition: z.boolean(),
  remindPrior: z.boolean(),
  cancelledAt: dateTime.nullable(),
  completedAt: dateTime.nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
  components: z.array(affectedComponent),
});

export const maintenanceResource = maintenanceSummary.extend({ updates: timeline });

const pagination = z.object({
  limit: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().meta({ description: "Offset of the next page; null on the last page." }),
});

const period = z.object({ firstDay: z.iso.date(), endDay: z.iso.date().meta({ description: "The day after the last day." }) });
const figure = z.number().nullable();

/** lib/domain/measures.ts's ReliabilityDocument; every formula is in docs/measures.md. */
export const reliabilityResource = z.object({
  zone: z.string(),
  period,
  previousPeriod: period,
  generatedAt: dateTime,
  component: affectedComponent.nullable(),
  figures: z.array(
    z.object({
      key: z.string(),
      section: z.string(),
      label: z.string(),
      unit: z.enum(["count", "minutes", "hours", "percent"]),
      current: figure,
      previous: figure,
    }),
  ),
  components: z.array(
    z.object({
      id,
      name: z.string(),
      availability: figure,
      incidents: z.number().int(),
      customerImpactHours: z.number(),
      maintenanceMinutes: z.number(),
      resolveMedianMinutes: figure,
    }),
  ),
  longest: z.object({ id, reference: z.string(), name: z.string(), minutes: z.number(), open: z.boolean() }).nullable(),
});

export const incidentList = z.object({ data: z.array(incidentSummary), pagination });
export const maintenanceList = z.object({ data: z.array(maintenanceSummary), pagination });
export const componentList = z.object({ data: z.array(componentResource) });

type Update = z.infer<typeof updateResource>;
type IncidentSummary = z.infer<typeof incidentSummary>;
type MaintenanceSummary = z.infer<typeof maintenanceSummary>;
type Component = z.infer<typeof componentResource>;
type Affected = z.infer<typeof affectedComponent>;

// ------------------------------------------------------------------ readers

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** An incident's (or maintenance's) updates, newest first, each with the component statuses it changed. */
export async function readIncidentTimeline(reader: Db | Tx, incidentId: string): Promise<Update[]> {
  return (await loadTimeline(reader, incidentId, { authors: true })).map((u) => ({
    id: u.id,
    incidentId: u.incident_id,
    status: u.status,
    body: u.body,
    displayAt: iso(u.display_at),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
    notify: u.notify,
    createdBy: u.created_by,
    components: u.changes.map((c) => ({ componentId: c.component_id, name: c.component_name, oldStatus: c.old_status, newStatus: c.new_status })),
  }));
}

function incidentSummaryOf(row: IncidentRow, components: Affected[]): IncidentSummary {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    status: row.status as IncidentSummary["status"],
    severity: row.severity!,
    impact: row.impact as IncidentSummary["impact"],
    startedAt: iso(row.started_at),
    detectedAt: isoOrNull(row.detected_at),
    acknowledgedAt: isoOrNull(row.acknowledged_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    identifiedAt: isoOrNull(row.identified_at),
    monitoringAt: isoOrNull(row.monitoring_at),
    resolvedAt: isoOrNull(row.resolved_at),
    nextUpdateDueAt: isoOrNull(row.next_update_due_at),
    backfilled: row.backfilled,
    postmortem:
      row.postmortem_body && row.postmortem_published_at
        ? { body: row.postmortem_body, publishedAt: iso(row.postmortem_published_at) }
        : null,
    components,
  };
}

function maintenanceSummaryOf(row: IncidentRow, components: Affected[]): MaintenanceSummary {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    status: row.status as MaintenanceSummary["status"],
    impact: row.impact,
    scheduledFor: iso(row.scheduled_for!),
    scheduledUntil: iso(row.scheduled_until!),
    autoTransition: row.scheduled_auto_transition,
    remindPrior: row.scheduled_remind_prior,
    cancelledAt: isoOrNull(row.cancelled_at),
    completedAt: isoOrNull(row.resolved_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    components,
  };
}

type Kind = "incident" | "maintenance";

/** The incident (or maintenance) row with this id; a malformed id or the other kind is not found. */
export async function requireKind(reader: Db | Tx, incidentId: string, kind: Kind): Promise<IncidentRow> {
  const row = PUBLIC_ID.test(incidentId)
    ? await reader.selectFrom("incidents").selectAll().where("id", "=", incidentId).where("kind", "=", kind).executeTakeFirst()
    : undefined;
  if (!row) throw notFound(kind);
  return row;
}

async function readOfKind<S>(reader: Db | Tx, id: string, kind: Kind, summaryOf: (row: IncidentRow, components: Affected[]) => S) {
  const row = await requireKind(reader, id, kind);
  const [components, updates] = await Promise.all([affectedComponents(reader, [row.id]), readIncidentTimeline(reader, row.id)]);
  return { ...summaryOf(row, components.get(row.id) ?? []), updates };
}

export function readIncident(reader: Db | Tx, incidentId: string): Promise<z.infer<typeof incidentResource>> {
  return readOfKind(reader, incidentId, "incident", incidentSummaryOf);
}

export function readMaintenance(reader: Db | Tx, maintenanceId: string): Promise<z.infer<typeof maintenanceResource>> {
  return readOfKind(reader, maintenanceId, "maintenance", maintenanceSummaryOf);
}

const closedStatuses = UPDATE_STATUSES.filter((status) => !isOpenStatus(status));

async function listOfKind<S>(reader: Db, kind: Kind, query: ListQuery, summaryOf: (row: IncidentRow, components: Affected[]) => S) {
  let select = reader.selectFrom("incidents").selectAll().where("kind", "=", kind);
  if (query.status === "open") select = select.where("status", "not in", closedStatuses);
  else if (query.status) select = select.where("status", "=", query.status);
  const rows = await select
    .orderBy(kind === "incident" ? "started_at" : "scheduled_for", "desc")
    .orderBy("id")
    .limit(query.limit + 1)
    .offset(query.offset)
    .execute();
  const page = rows.slice(0, query.limit);
  const components = await affectedComponents(
    reader,
    page.map((r) => r.id),
  );
  return {
    data: page.map((row) => summaryOf(row, components.get(row.id) ?? [])),
    pagination: {
      limit: query.limit,
      offset: query.offset,
      nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
    },
  };
}

export function listIncidents(reader: Db, query: ListQuery): Promise<z.infer<typeof incidentList>> {
  return listOfKind(reader, "incident", query, incidentSummaryOf);
}

export function listMaintenance(reader: Db, query: ListQuery): Promise<z.infer<typeof maintenanceList>> {
  return listOfKind(reader, "maintenance", query, maintenanceSummaryOf);
}

/** Components in page order. */
export async function readComponents(reader: Db | Tx): Promise<Component[]> {
  return (await listComponents(reader)).map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    groupId: c.group_id,
    position: c.position,
    status: c.status,
    showcase: c.showcase,
    onlyShowIfDegraded: c.only_show_if_degraded,
    startDate: c.start_date,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  }));
}

export async function readComponent(reader: Db | Tx, componentId: string): Promise<Component> {
  const component = (await readComponents(reader)).find((c) => c.id === componentId);
  if (!component) throw notFound("component");
  return component;
}

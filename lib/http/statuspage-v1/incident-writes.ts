import type { Db } from "#db/client.ts";
import type { ComponentStatus, IncidentRow, MaintenanceStatus, Severity, UpdateStatus } from "#db/schema.ts";
import { invalidInput, isAppError, notFound, type FieldIssue } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import {
  impactMeta,
  impactOfComponentStatuses,
  INCIDENT_UPDATE_STATUSES,
  MAINTENANCE_STATUSES,
  severityForImpact,
  updateStatusMeta,
} from "#lib/core/statuses.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { deleteIncident, editIncidentDetails } from "#lib/domain/incident-details.ts";
import { correctUpdate } from "#lib/domain/incident-details.ts";
import { declareIncident, postUpdate, requireIncident } from "#lib/domain/incidents.ts";
import { advanceMaintenance, rescheduleMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import type { PublicComponent } from "#lib/public/statuspage-v2.ts";
import type { IncidentFields } from "./schemas.ts";

/*
 * Statuspage's incident writes mapped onto Candor's domain: one incident
 * endpoint for incidents and maintenance, a PATCH that is the next update.
 * Every change goes through the domain's audited writes; this module only
 * decides which ones, checks the whole body first (so a bad field writes
 * nothing), and renames the domain's field names back to the client's.
 * docs/statuspage-v1.md has the mapping.
 */

/** A domain refusal named as the client spelled it: `scheduledFor` → `incident.scheduled_for` (or as `renames` says). */
export async function asClientFields<T>(prefix: string, run: () => Promise<T>, renames: Record<string, string> = {}): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isAppError(error, "invalid_input")) throw error;
    // The first segment is the domain's field name; what follows (an index, a key) stays.
    const name = (field: string) => {
      const [head, ...rest] = field.split(".");
      return [prefix, renames[head] ?? head.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), ...rest].filter((s) => s !== "").join(".");
    };
    throw invalidInput(error.issues.map((i) => ({ field: name(i.field), message: i.message })));
  }
}

function failIfAny(issues: FieldIssue[]): void {
  if (issues.length) throw invalidInput(issues);
}

/** Statuspage allows an update without text; Candor's timeline needs some, so the status speaks. */
function bodyFor(f: IncidentFields, status: UpdateStatus): string {
  return f.body ?? `${updateStatusMeta[status].label}.`;
}

/**
 * The components a body names: `components` as a map (with statuses) or a
 * list, and `component_ids`. A component named without a status keeps its
 * current one (it is linked, not changed).
 */
function componentChanges(f: IncidentFields, components: PublicComponent[]): { id: string; status: ComponentStatus }[] {
  const known = new Map(components.map((c) => [c.id, c]));
  const statuses = new Map<string, ComponentStatus | undefined>();
  const issues: FieldIssue[] = [];
  const name = (field: string, id: string, status?: ComponentStatus) => {
    if (!known.has(id)) issues.push({ field, message: "is not a component" });
    else if (status || !statuses.has(id)) statuses.set(id, status);
  };
  if (Array.isArray(f.components)) f.components.forEach((id, i) => name(`incident.components.${i}`, id));
  else for (const [id, status] of Object.entries(f.components ?? {})) name(`incident.components.${id}`, id, status);
  f.component_ids?.forEach((id, i) => name(`incident.component_ids.${i}`, id));
  failIfAny(issues);
  return [...statuses].map(([id, status]) => ({ id, status: status ?? known.get(id)!.status }));
}

const ADVANCES = ["in_progress", "verifying", "completed"] as const;
type Advance = (typeof ADVANCES)[number];

/** The domain's moves from `from` to `to`: a maintenance passes through in_progress. */
function advanceSteps(from: UpdateStatus, to: Advance): Advance[] {
  return from === "scheduled" && to !== "in_progress" ? ["in_progress", to] : [to];
}

async function advanceTo(db: Db, actor: Actor, incidentId: string, from: UpdateStatus, to: Advance, f: IncidentFields) {
  const steps = advanceSteps(from, to);
  for (const [i, status] of steps.entries()) {
    const last = i === steps.length - 1;
    // Only the move the client asked for carries its text and tells subscribers.
    await advanceMaintenance(db, actor, { incidentId, status, body: last ? f.body : undefined, notify: last && f.deliver_notifications });
  }
}

function isMaintenanceStatus(status: string | undefined): status is MaintenanceStatus {
  return (MAINTENANCE_STATUSES as readonly string[]).includes(status ?? "");
}

/** POST /incidents: an incident (declared) or, with scheduled_for or a maintenance status, a maintenance (scheduled). */
export async function createIncident(db: Db, actor: Actor, f: IncidentFields, components: PublicComponent[]): Promise<string> {
  const issues: FieldIssue[] = [];
  if (!f.name) issues.push({ field: "incident.name", message: "is required" });
  const maintenance = f.scheduled_for !== undefined || isMaintenanceStatus(f.status);
  if (maintenance) {
    if (!f.scheduled_for) issues.push({ field: "incident.scheduled_for", message: "is required for scheduled maintenance" });
    if (!f.scheduled_until) issues.push({ field: "incident.scheduled_until", message: "is required for scheduled maintenance" });
    if (f.status && !isMaintenanceStatus(f.status)) issues.push({ field: "incident.status", message: "is not a scheduled maintenance status" });
  } else if (f.impact_override === "maintenance") {
    issues.push({ field: "incident.impact_override", message: "maintenance is for scheduled maintenance (send scheduled_for)" });
  }
  failIfAny(issues);
  const changes = componentChanges(f, components);
  return asClientFields("incident", async () => {
    if (maintenance) {
      const auto = [f.scheduled_auto_in_progress, f.scheduled_auto_completed, f.scheduled_auto_transition];
      const { maintenance: m } = await scheduleMaintenance(db, actor, {
        name: f.name,
        body: f.body ?? "Scheduled maintenance.",
        components: changes.map((c) => c.id),
        impact: f.impact_override ?? "maintenance",
        autoTransition: auto.some((v) => v === true),
        remindPrior: f.scheduled_remind_prior ?? false,
        notify: f.deliver_notifications && !f.backfilled,
        announcedAt: f.backfilled ? (f.backfill_date ?? new Date()) : undefined,
        metadata: f.metadata ?? {},
        scheduledFor: f.scheduled_for,
        scheduledUntil: f.scheduled_until,
      });
      if (f.status && f.status !== "scheduled") await advanceTo(db, actor, m.id, "scheduled", f.status as Advance, { ...f, body: undefined });
      return m.id;
    }
    // "maintenance" was refused above for an incident.
    const override = f.impact_override === "maintenance" ? null : f.impact_override;
    const impact = override ?? impactOfComponentStatuses(changes.map((c) => c.status));
    const status = f.status ?? (f.backfilled ? "resolved" : "investigating");
    const at = f.backfilled ? (f.backfill_date ?? new Date()) : undefined;
    const { incident } = await declareIncident(db, actor, {
      name: f.name,
      severity: severityForImpact(impact),
      status,
      body: bodyFor(f, status),
      components: changes,
      startedAt: at,
      displayAt: at,
      notify: f.deliver_notifications && !f.backfilled,
      impactOverride: override ?? null,
      metadata: f.metadata ?? {},
    });
    return incident.id;
  });
}

/*
 * Without an override, worse component statuses raise the impact (and the
 * severity with it), as Statuspage computes it; better ones never lower it:
 * an incident keeps the impact it reached.
 */
function raisedSeverity(incident: IncidentRow, f: IncidentFields, changes: { status: ComponentStatus }[]): Severity | undefined {
  if (incident.impact_override || f.impact_override !== undefined) return undefined;
  const impact = impactOfComponentStatuses(changes.map((c) => c.status));
  return impactMeta[impact].rank > impactMeta[incident.impact].rank ? severityForImpact(impact) : undefined;
}

/**
 * PATCH/PUT /incidents/{id}: its details, then the next update (or, for a
 * maintenance, its new window, then its move). These are separate domain
 * writes, each whole; everything the domain would refuse is refused first,
 * so only a failing database can leave the first done without the next.
 */
export async function updateIncident(db: Db, actor: Actor, id: string, f: IncidentFields, components: PublicComponent[]): Promise<void> {
  const incident = await findIncident(db, id);
  const issues: FieldIssue[] = [];
  if (incident.kind === "incident") {
    if (f.status && !(INCIDENT_UPDATE_STATUSES as readonly string[]).includes(f.status)) issues.push({ field: "incident.status", message: "is not an incident status" });
    if (f.impact_override === "maintenance") issues.push({ field: "incident.impact_override", message: "maintenance is for scheduled maintenance" });
  } else if (f.status && !isMaintenanceStatus(f.status)) {
    issues.push({ field: "incident.status", message: "is not a scheduled maintenance status" });
  } else {
    // The moves and the reschedule the domain would refuse, refused before anything is written.
    const order: readonly string[] = MAINTENANCE_STATUSES;
    if (f.status && order.indexOf(f.status) < order.indexOf(incident.status)) {
      issues.push({ field: "incident.status", message: `cannot move from ${incident.status} back to ${f.status}` });
    }
    const moved = (given: Date | undefined, current: Date | null) => given !== undefined && given.getTime() !== current?.getTime();
    if (incident.status !== "scheduled") {
      if (moved(f.scheduled_for, incident.scheduled_for)) issues.push({ field: "incident.scheduled_for", message: "can change only while the maintenance is scheduled" });
      if (moved(f.scheduled_until, incident.scheduled_until)) issues.push({ field: "incident.scheduled_until", message: "can change only while the maintenance is scheduled" });
    }
    const until = f.scheduled_until ?? incident.scheduled_until!;
    if ((f.scheduled_for ?? incident.scheduled_for!) >= until) issues.push({ field: "incident.scheduled_until", message: "must be after the start" });
  }
  failIfAny(issues);
  const changes = componentChanges(f, components);
  await asClientFields("incident", async () => {
    const auto = [f.scheduled_auto_in_progress, f.scheduled_auto_completed, f.scheduled_auto_transition].filter((v) => v !== undefined);
    const settings = incident.kind === "maintenance" ? { autoTransition: auto.length ? auto.some(Boolean) : undefined, remindPrior: f.scheduled_remind_prior } : {};
    const details = { name: f.name, impactOverride: f.impact_override, metadata: f.metadata, ...settings };
    if (Object.values(details).some((v) => v !== undefined)) await editIncidentDetails(db, actor, { incidentId: id, ...details });
    if (incident.kind === "incident") {
      if (f.status === undefined && f.body === undefined && changes.length === 0) return;
      const status = f.status ?? (incident.status === "postmortem" ? "resolved" : incident.status);
      const severity = raisedSeverity(incident, f, changes);
      await postUpdate(db, actor, { incidentId: id, status, body: bodyFor(f, status), components: changes, severity, notify: f.deliver_notifications });
      return;
    }
    const window = { scheduledFor: f.scheduled_for ?? incident.scheduled_for!, scheduledUntil: f.scheduled_until ?? incident.scheduled_until! };
    if (window.scheduledFor.getTime() !== incident.scheduled_for!.getTime() || window.scheduledUntil.getTime() !== incident.scheduled_until!.getTime()) {
      await rescheduleMaintenance(db, actor, { incidentId: id, ...window });
    }
    if (f.status && f.status !== incident.status && f.status !== "scheduled") {
      await advanceTo(db, actor, id, incident.status, f.status as Advance, f);
    } else if (f.body !== undefined) {
      await postUpdate(db, actor, { incidentId: id, status: incident.status, body: f.body, notify: f.deliver_notifications });
    }
  });
}

/** DELETE /incidents/{id}. */
export async function removeIncident(db: Db, actor: Actor, id: string): Promise<void> {
  await findIncident(db, id);
  await deleteIncident(db, actor, { incidentId: id });
}

/** PATCH/PUT /incidents/{id}/incident_updates/{update_id}: a silent correction of the text. */
export async function correctIncidentUpdate(db: Db, actor: Actor, incidentId: string, updateId: string, body: string): Promise<void> {
  const update = PUBLIC_ID.test(updateId)
    ? await db.selectFrom("incident_updates").select("id").where("id", "=", updateId).where("incident_id", "=", incidentId).executeTakeFirst()
    : undefined;
  if (!update) throw notFound("incident update");
  await asClientFields("incident_update", () => correctUpdate(db, actor, { updateId, body }));
}

async function findIncident(db: Db, id: string): Promise<IncidentRow> {
  if (!PUBLIC_ID.test(id)) throw notFound("incident");
  return requireIncident(db, id);
}

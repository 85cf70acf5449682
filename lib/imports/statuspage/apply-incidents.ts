import type { Db } from "#db/client.ts";
import type { ComponentStatus } from "#db/schema.ts";
import { INCIDENT_UPDATE_STATUSES, severityForImpact, updateStatusMeta } from "#lib/core/statuses.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import type { Mappings } from "./mappings.ts";
import type { StatuspageIncident, StatuspageUpdate } from "./objects.ts";
import type { ImportReport } from "./apply.ts";

/*
 * An imported incident is replayed through the same writes an editor's
 * would take — declare, then each update at its own display time, then the
 * postmortem — so its timeline, component status history and uptime come
 * out as if it had happened here. Nothing notifies anyone. Maintenance is
 * scheduled with its window and moved through its states the same way.
 */

const shownAt = (u: StatuspageUpdate) => new Date(u.display_at ?? u.created_at);
/** A body is required here; an empty one says the status, as the page would. */
const bodyOf = (u: StatuspageUpdate) => u.body.trim() || `${updateStatusMeta[u.status as keyof typeof updateStatusMeta]?.label ?? u.status}.`;

interface Context {
  db: Db;
  actor: Actor;
  mappings: Mappings;
  report: ImportReport;
}

function changesOf(ctx: Context, update: StatuspageUpdate): { id: string; status: ComponentStatus }[] {
  const out = new Map<string, ComponentStatus>();
  for (const affected of update.affected_components ?? []) {
    const id = ctx.mappings.get("component", affected.code);
    if (id) out.set(id, affected.new_status);
    else ctx.report.warnings.add(`an update names a component that is not on the page any more (${affected.name ?? affected.code}); its change was left out`);
  }
  return [...out].map(([id, status]) => ({ id, status }));
}

export async function importIncident(ctx: Context, incident: StatuspageIncident): Promise<void> {
  const updates = [...incident.incident_updates].sort((a, b) => shownAt(a).getTime() - shownAt(b).getTime());
  if (incident.scheduled_for) return importMaintenance(ctx, incident, updates);
  const timeline = updates.filter((u) => u.status !== "postmortem");
  let incidentId = ctx.mappings.get("incident", incident.id);
  if (!incidentId) {
    const first = timeline[0];
    const status = (INCIDENT_UPDATE_STATUSES as readonly string[]).includes(first?.status) ? (first.status as (typeof INCIDENT_UPDATE_STATUSES)[number]) : "investigating";
    const { incident: created, update } = await declareIncident(ctx.db, ctx.actor, {
      name: incident.name.slice(0, 255),
      severity: severityForImpact(incident.impact === "maintenance" ? "none" : incident.impact),
      status,
      body: first ? bodyOf(first) : "Imported without updates.",
      components: first ? changesOf(ctx, first) : [],
      startedAt: new Date(incident.created_at),
      displayAt: first ? shownAt(first) : new Date(incident.created_at),
      notify: false,
    });
    incidentId = created.id;
    await ctx.mappings.set("incident", incident.id, incidentId);
    if (first) await ctx.mappings.set("update", first.id, update.id);
    ctx.report.created.incidents++;
    ctx.report.created.updates += first ? 1 : 0;
  } else ctx.report.skipped.incidents++;

  for (const u of timeline) {
    if (ctx.mappings.get("update", u.id)) continue;
    const status = (INCIDENT_UPDATE_STATUSES as readonly string[]).includes(u.status) ? (u.status as (typeof INCIDENT_UPDATE_STATUSES)[number]) : null;
    if (!status) {
      ctx.report.warnings.add(`an update with status "${u.status}" was left out (not an incident status)`);
      continue;
    }
    const { update } = await postUpdate(ctx.db, ctx.actor, { incidentId, status, body: bodyOf(u), components: changesOf(ctx, u), displayAt: shownAt(u), notify: false });
    await ctx.mappings.set("update", u.id, update.id);
    ctx.report.created.updates++;
  }

  const postmortemKey = `${incident.id}:postmortem`;
  if (incident.postmortem_body?.trim() && incident.postmortem_published_at && !ctx.mappings.get("update", postmortemKey)) {
    await publishPostmortem(ctx.db, ctx.actor, { incidentId, body: incident.postmortem_body.slice(0, 100000), notify: false });
    await ctx.mappings.set("update", postmortemKey, incidentId);
    ctx.report.created.postmortems++;
  }
}

const ADVANCES = ["in_progress", "verifying", "completed"] as const;
const STAGE: Record<string, number> = { scheduled: 0, in_progress: 1, verifying: 2, completed: 3 };

async function importMaintenance(ctx: Context, incident: StatuspageIncident, updates: StatuspageUpdate[]): Promise<void> {
  let maintenanceId = ctx.mappings.get("incident", incident.id);
  const scheduledFor = new Date(incident.scheduled_for!);
  const scheduledUntil = incident.scheduled_until ? new Date(incident.scheduled_until) : new Date(scheduledFor.getTime() + 60 * 60_000);
  if (!incident.scheduled_until) ctx.report.warnings.add("a maintenance without an end was given one hour");
  const future = scheduledFor.getTime() > Date.now();
  let status = "scheduled";
  if (!maintenanceId) {
    const first = updates.find((u) => u.status === "scheduled") ?? updates[0];
    const components = (incident.components ?? []).map((c) => ctx.mappings.get("component", c.id)).filter((id): id is string => !!id);
    const { maintenance, update } = await scheduleMaintenance(ctx.db, ctx.actor, {
      name: incident.name.slice(0, 255),
      body: first ? bodyOf(first) : "Scheduled maintenance.",
      components,
      impact: incident.impact,
      // Past windows are replayed below; only an upcoming one keeps Statuspage's automatic start and end.
      autoTransition: future && (incident.scheduled_auto_in_progress ?? false),
      remindPrior: future && (incident.scheduled_remind_prior ?? false),
      notify: false,
      announcedAt: new Date(incident.created_at),
      scheduledFor,
      scheduledUntil,
    });
    maintenanceId = maintenance.id;
    await ctx.mappings.set("incident", incident.id, maintenanceId);
    if (first) await ctx.mappings.set("update", first.id, update.id);
    ctx.report.created.maintenance++;
    ctx.report.created.updates += first ? 1 : 0;
  } else {
    ctx.report.skipped.maintenance++;
    status = (await ctx.db.selectFrom("incidents").select("status").where("id", "=", maintenanceId).executeTakeFirst())?.status ?? status;
  }

  for (const u of updates) {
    if (ctx.mappings.get("update", u.id)) {
      if (u.status in STAGE) status = u.status;
      continue;
    }
    await ctx.mappings.set("update", u.id, maintenanceId);
    if (u.status === "scheduled") continue;
    const target = ADVANCES.find((s) => s === u.status);
    if (!target || STAGE[target] <= STAGE[status]) {
      ctx.report.warnings.add(`a maintenance update with status "${u.status}" that does not move its state forward was left out`);
      continue;
    }
    // Statuspage may go straight from scheduled to completed; here it passes through in progress.
    if (status === "scheduled" && target !== "in_progress") {
      await advanceMaintenance(ctx.db, ctx.actor, { incidentId: maintenanceId, status: "in_progress", notify: false, at: shownAt(u) });
      ctx.report.warnings.add("a maintenance that skipped \"in progress\" was marked in progress when it moved on");
    }
    await advanceMaintenance(ctx.db, ctx.actor, { incidentId: maintenanceId, status: target, body: bodyOf(u), notify: false, at: shownAt(u) });
    ctx.report.created.updates++;
    status = target;
  }
}

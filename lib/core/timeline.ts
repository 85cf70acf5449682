import type { ComponentStatus, IncidentUpdateRow } from "#db/schema.ts";
import { componentStatusMeta } from "./statuses.ts";

/*
 * The shape of an incident's timeline, as lib/domain/timeline.ts loads it
 * and every reader (the pages, /api/v2, /api/v1, feeds, emails, the admin)
 * takes it. Plain data, so email templates and components may import it.
 */

/** A component's status as one update recorded it (the same old and new status when the update only named it). */
export interface ComponentChange {
  component_id: string;
  component_name: string;
  /** The component's group, if it has one: Statuspage names the component "Group - Child". */
  group_name: string | null;
  old_status: ComponentStatus;
  new_status: ComponentStatus;
}

/** One update, with its component changes in page order. */
export interface TimelineUpdate
  extends Pick<IncidentUpdateRow, "id" | "incident_id" | "status" | "body" | "display_at" | "created_at" | "updated_at" | "notify"> {
  changes: ComponentChange[];
}

/**
 * "API: Operational → Major outage", or "API: Major outage" when the update
 * only named it; `label` names a status in the reader's language (English by default).
 */
export function changeLine(change: ComponentChange, label: (status: ComponentStatus) => string = (s) => componentStatusMeta[s].label): string {
  const from = label(change.old_status);
  const to = label(change.new_status);
  return from === to ? `${change.component_name}: ${to}` : `${change.component_name}: ${from} → ${to}`;
}

/**
 * Each component an incident's updates named, with the status the newest of
 * them (by display time) gave it: the affected components' status as the
 * timeline stands. In the order the newest updates name them.
 */
export function latestComponentStatuses(updates: Pick<TimelineUpdate, "display_at" | "changes">[]): { id: string; name: string; status: ComponentStatus }[] {
  const newestFirst = [...updates].sort((a, b) => b.display_at.getTime() - a.display_at.getTime());
  const seen = new Map<string, { id: string; name: string; status: ComponentStatus }>();
  for (const u of newestFirst) {
    for (const c of u.changes) if (!seen.has(c.component_id)) seen.set(c.component_id, { id: c.component_id, name: c.component_name, status: c.new_status });
  }
  return [...seen.values()];
}

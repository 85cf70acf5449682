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

/** "API: Operational → Major outage", or "API: Major outage" when the update only named it. */
export function changeLine(change: ComponentChange): string {
  const from = componentStatusMeta[change.old_status].label;
  const to = componentStatusMeta[change.new_status].label;
  return from === to ? `${change.component_name}: ${to}` : `${change.component_name}: ${from} → ${to}`;
}

import type { Impact, UpdateStatus } from "#db/schema.ts";
import { incidentUrl, pageUrl } from "#lib/core/page-url.ts";
import { ACTIVE_MAINTENANCE_STATUSES, impactMeta, OPEN_INCIDENT_STATUSES, updateStatusMeta } from "#lib/core/statuses.ts";
import type { Snapshot, Timeline } from "./statuspage-v2.ts";

/*
 * What the in-app widget (public/embed.js) and the Statuspage-compatible
 * frame (/embed/frame) show: the open incidents and the maintenance in
 * progress, each with what a one-line notice needs. A body of its own rather
 * than /api/v2/summary.json: summary carries every component and every
 * update's text (tens of KB on a busy page, polled by every open tab of the
 * customer's product), where the widget needs a few hundred bytes and the
 * latest update's time (its dismissals end when an item posts a newer update).
 */

export interface WidgetItem {
  id: string;
  kind: "incident" | "maintenance";
  name: string;
  status: UpdateStatus;
  /** The status in words ("Identified", "In progress"). */
  status_label: string;
  impact: Impact;
  /** The latest public update's time (the start when there is none yet); a new update changes it. */
  latest_update_at: string;
  url: string;
  /** The components it affects, in page order: the widget's `components` filter matches these. */
  component_ids: string[];
}

export interface WidgetPayload {
  page: { name: string; url: string };
  /** Worst impact first, then the most recently updated. */
  incidents: WidgetItem[];
  /** Most recently updated first. */
  maintenances: WidgetItem[];
}

const OPEN: ReadonlySet<string> = new Set(OPEN_INCIDENT_STATUSES);
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_MAINTENANCE_STATUSES);

function item(t: Timeline, url: string): WidgetItem {
  const latest = t.updates[0]?.display_at ?? t.started_at ?? t.created_at;
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    status: t.status,
    status_label: updateStatusMeta[t.status].label,
    impact: t.impact,
    latest_update_at: latest.toISOString(),
    url: incidentUrl(url, t.id),
    component_ids: t.componentIds,
  };
}

const byLatest = (a: WidgetItem, b: WidgetItem) => b.latest_update_at.localeCompare(a.latest_update_at) || a.id.localeCompare(b.id);

export function widgetPayload(s: Snapshot): WidgetPayload {
  return {
    page: { name: s.page.name, url: pageUrl(s.page.url) },
    incidents: s.incidents
      .filter((t) => OPEN.has(t.status))
      .map((t) => item(t, s.page.url))
      .sort((a, b) => impactMeta[b.impact].rank - impactMeta[a.impact].rank || byLatest(a, b)),
    maintenances: s.maintenances
      .filter((t) => ACTIVE.has(t.status) && t.cancelled_at === null)
      .map((t) => item(t, s.page.url))
      .sort(byLatest),
  };
}

import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { IncidentRow, Page, UpdateStatus } from "#db/schema.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import type { Locale } from "#lib/core/locales.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { affectedComponents } from "#lib/domain/components.ts";

/*
 * What the public pages (/, /incidents/[id], /history) show of the page and
 * of each incident in a list: the view model's shared parts.
 */

export interface PageInfo {
  name: string;
  url: string;
  timeZone: string;
  supportUrl: string | null;
  /** The /report form is on: every public page links to it. */
  reportsEnabled: boolean;
  /** The languages the page offers (the subscribe form's choice), and the one served unprefixed. */
  locales: Locale[];
  defaultLocale: Locale;
}

export interface ComponentRef {
  id: string;
  name: string;
}

export interface UpdateView {
  id: string;
  status: UpdateStatus;
  bodyHtml: string;
  displayAt: Date;
}

export const INCIDENT_COLUMNS = [
  "incidents.id",
  "incidents.reference",
  "incidents.kind",
  "incidents.name",
  "incidents.status",
  "incidents.impact",
  "incidents.started_at",
  "incidents.resolved_at",
  "incidents.next_update_due_at",
  "incidents.scheduled_for",
  "incidents.scheduled_until",
  "incidents.cancelled_at",
] as const;

type ListColumn = (typeof INCIDENT_COLUMNS)[number] extends `incidents.${infer C extends keyof IncidentRow}` ? C : never;
/** An incident row as a list selects it: the INCIDENT_COLUMNS. */
export type IncidentRowLite = Pick<IncidentRow, ListColumn>;

/** When something happened, for ordering and grouping: a maintenance by its window, an incident by its start. */
export const occurredAt = sql<Date>`coalesce(incidents.scheduled_for, incidents.started_at)`;

export function pageInfo(page: Page): PageInfo {
  return { name: page.name, url: pageUrl(page.url), timeZone: page.time_zone, supportUrl: page.support_url, reportsEnabled: page.reports_enabled, locales: page.locales, defaultLocale: page.default_locale };
}

/** An incident row as the views show it, without its updates and components. */
export function summaryFields(r: IncidentRowLite) {
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    name: r.name,
    status: r.status,
    impact: r.impact,
    startedAt: r.started_at,
    resolvedAt: r.resolved_at,
    nextUpdateDueAt: r.next_update_due_at,
    scheduledFor: r.scheduled_for,
    scheduledUntil: r.scheduled_until,
    cancelled: r.cancelled_at !== null,
  };
}

/** An incident as a list shows it: its fields, latest update and affected components. */
export interface IncidentSummary extends ReturnType<typeof summaryFields> {
  latestUpdate: UpdateView | null;
  components: ComponentRef[];
}

/** Latest update (markdown rendered) and affected components for each incident, in two queries. */
export async function summarize(db: Db, rows: IncidentRowLite[]): Promise<Map<string, IncidentSummary>> {
  const ids = [...new Set(rows.map((r) => r.id))];
  const result = new Map<string, IncidentSummary>();
  if (ids.length === 0) return result;
  const [latest, links] = await Promise.all([
    sql<{ incident_id: string; id: string; status: UpdateStatus; body: string; display_at: Date }>`
      select distinct on (incident_id) incident_id, id, status, body, display_at
      from incident_updates
      where incident_id in (${sql.join(ids)})
      order by incident_id, display_at desc, created_at desc
    `.execute(db),
    affectedComponents(db, ids),
  ]);
  const updates = new Map(latest.rows.map((u) => [u.incident_id, u]));
  for (const r of rows) {
    const u = updates.get(r.id);
    result.set(r.id, {
      ...summaryFields(r),
      latestUpdate: u ? { id: u.id, status: u.status, bodyHtml: renderMarkdown(u.body), displayAt: new Date(u.display_at) } : null,
      components: links.get(r.id) ?? [],
    });
  }
  return result;
}

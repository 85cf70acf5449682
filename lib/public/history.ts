import { z } from "zod";
import type { Db } from "#db/client.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { dayKey } from "#lib/core/time.ts";
import { inPageOrder } from "#lib/domain/page-order.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { INCIDENT_COLUMNS, occurredAt, pageInfo, summarize, type ComponentRef, type IncidentSummary, type PageInfo } from "./summaries.ts";

/* /history: every incident and maintenance that has begun, a page at a time. */

export const HISTORY_PAGE_SIZE = 20;

/*
 * /history's query string. Bad values never fail the page: an unusable page
 * number means the first page, an unknown component means no filter.
 */
export const historyQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
  component: z.string().regex(PUBLIC_ID).optional().catch(undefined),
});
export type HistoryQuery = z.output<typeof historyQuery>;

export interface HistoryView {
  page: PageInfo;
  pageNumber: number;
  hasNext: boolean;
  component: ComponentRef | null;
  /** The filter's choices, in page order. */
  components: (ComponentRef & { group: string | null })[];
  months: { month: string; incidents: IncidentSummary[] }[];
}

/** Incidents and maintenance that have begun, newest first, a page at a time, grouped by month in the page's zone. */
export async function historyPage(db: Db, query: HistoryQuery, now = new Date()): Promise<HistoryView> {
  const [page, components] = await Promise.all([
    getPage(db),
    inPageOrder(
      db
        .selectFrom("components")
        .leftJoin("component_groups", (join) =>
          join.onRef("component_groups.id", "=", "components.group_id").on("component_groups.archived_at", "is", null),
        )
        .select(["components.id", "components.name", "component_groups.name as group"])
        .where("components.archived_at", "is", null),
    ).execute(),
  ]);
  const component = components.find((c) => c.id === query.component) ?? null;
  let q = db
    .selectFrom("incidents")
    .select(INCIDENT_COLUMNS)
    .where(occurredAt, "<=", now)
    .orderBy(occurredAt, "desc")
    .orderBy("incidents.id", "desc")
    .limit(HISTORY_PAGE_SIZE + 1)
    .offset((query.page - 1) * HISTORY_PAGE_SIZE);
  if (component) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom("incident_components")
          .select("incident_components.incident_id")
          .whereRef("incident_components.incident_id", "=", "incidents.id")
          .where("incident_components.component_id", "=", component.id),
      ),
    );
  }
  const rows = await q.execute();
  const shown = rows.slice(0, HISTORY_PAGE_SIZE);
  const summaries = await summarize(db, shown);
  const months: HistoryView["months"] = [];
  for (const row of shown) {
    const month = dayKey(row.scheduled_for ?? row.started_at, page.time_zone).slice(0, 7);
    const last = months.at(-1);
    if (last?.month === month) last.incidents.push(summaries.get(row.id)!);
    else months.push({ month, incidents: [summaries.get(row.id)!] });
  }
  return {
    page: pageInfo(page),
    pageNumber: query.page,
    hasNext: rows.length > HISTORY_PAGE_SIZE,
    component: component ? { id: component.id, name: component.name } : null,
    components,
    months,
  };
}

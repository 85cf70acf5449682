import { sql, type SelectQueryBuilder } from "kysely";
import type { Database } from "#db/schema.ts";

/*
 * Page order (lib/core/page-order.ts) in SQL, for a query with `components`
 * in scope: by the top-level item (the component's live group, or the
 * component itself), then by place within the group; each level by
 * (position, creation, id) as byPosition. One row-valued probe per row (ids
 * are lowercase alphanumeric, so every collation orders them as byPosition).
 */
const PAGE_ORDER = [
  sql`coalesce(
    (select row(g.position, g.created_at, g.id) from component_groups g where g.id = components.group_id and g.archived_at is null),
    row(components.position, components.created_at, components.id)
  )`,
  sql`row(components.position, components.created_at, components.id)`,
];

export function inPageOrder<QB extends SelectQueryBuilder<Database, "components", object>>(query: QB): QB {
  return PAGE_ORDER.reduce((q, key) => q.orderBy(key), query as SelectQueryBuilder<Database, "components", object>) as QB;
}

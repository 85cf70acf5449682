import { sql, type RawBuilder, type SelectQueryBuilder } from "kysely";
import type { Database } from "#db/schema.ts";

/*
 * Page order (lib/core/page-order.ts) in SQL, for a query with `components`
 * in scope: by the top-level item (the component's live group, or the
 * component itself), then by place within the group. Each level by
 * position, then creation, then id, as byPosition.
 */
const liveGroup = (column: RawBuilder<unknown>) =>
  sql`(select ${column} from component_groups g where g.id = components.group_id and g.archived_at is null)`;

const PAGE_ORDER = [
  sql`coalesce(${liveGroup(sql`g.position`)}, components.position)`,
  sql`coalesce(${liveGroup(sql`g.created_at`)}, components.created_at)`,
  sql`coalesce(${liveGroup(sql`g.id`)}, components.id) collate "C"`,
  sql`components.position`,
  sql`components.created_at`,
  sql`components.id collate "C"`,
];

export function inPageOrder<QB extends SelectQueryBuilder<Database, "components", object>>(query: QB): QB {
  return PAGE_ORDER.reduce((q, key) => q.orderBy(key), query as SelectQueryBuilder<Database, "components", object>) as QB;
}

/*
 * Page order: how components and groups are listed everywhere (the status
 * page, /api/v2, /history's filter, the admin, the management API, emails).
 * Groups and top-level components share the top level, each group's children
 * follow it; within a level by position, then creation, then id, so ties
 * left by older data still sort one way. lib/domain/page-order.ts has the
 * same order in SQL (inPageOrder).
 */

/** What page order reads of a component or a group. */
export interface Placed {
  id: string;
  position: number;
  created_at: Date;
}

/** One level's order. */
export function byPosition(a: Placed, b: Placed): number {
  return a.position - b.position || a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export type PageRow<G, C> = { kind: "group"; group: G; children: C[] } | { kind: "component"; component: C };

/**
 * The page's top-level rows in order, each group with its children (empty
 * groups kept). A component whose group is not listed (archived) stands at
 * the top level.
 */
export function pageOrder<G extends Placed, C extends Placed & { group_id: string | null }>(components: C[], groups: G[]): PageRow<G, C>[] {
  const listed = new Set(groups.map((g) => g.id));
  const children = new Map<string, C[]>(groups.map((g) => [g.id, []]));
  const top: (PageRow<G, C> & { at: Placed })[] = groups.map((g) => ({ kind: "group", group: g, children: children.get(g.id)!, at: g }));
  for (const c of components) {
    if (c.group_id !== null && listed.has(c.group_id)) children.get(c.group_id)!.push(c);
    else top.push({ kind: "component", component: c, at: c });
  }
  for (const list of children.values()) list.sort(byPosition);
  return top.sort((a, b) => byPosition(a.at, b.at)).map(({ at: _at, ...row }) => row as PageRow<G, C>);
}

/** The components alone, in page order (a group's children where the group stands). */
export function componentsInPageOrder<C extends Placed & { group_id: string | null }>(components: C[], groups: Placed[]): C[] {
  return pageOrder(components, groups).flatMap((row) => (row.kind === "group" ? row.children : [row.component]));
}

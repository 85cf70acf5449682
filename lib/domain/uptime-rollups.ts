import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import type { ComponentStatus } from "#db/schema.ts";
import { computeUptime, uptimeCalendar, type DayFigures, type IncidentSpan, type Uptime, type UptimeCalendar } from "#lib/core/uptime.ts";

/*
 * Uptime bars of the page's components, at a cost that does not grow with
 * the history: complete past days come from each component's rollup (one
 * row, db/migrations/0006_uptime_rollups.ts), and only the days it lacks,
 * normally just today, are computed from the recorded status changes. Days
 * newly complete are saved back; the database drops saved days when their
 * history changes, so every writer stays correct without knowing of them.
 * Saving is an optimisation: when it fails (a read-only replica, a
 * concurrent write) the page still shows what was computed. Figures are
 * json, not jsonb: read back as written, with nothing to convert.
 */
const DAY_MS = 86_400_000;

/*
 * A rollup's days, column by column (a few arrays of numbers parse far
 * faster than an object per day): the worst status as one letter per day,
 * then counted, major outage and partial outage minutes.
 */
interface PackedDays {
  worst: string;
  counted: number[];
  major: number[];
  partial: number[];
}

const CODES = {
  operational: "o",
  degraded_performance: "d",
  partial_outage: "p",
  major_outage: "m",
  under_maintenance: "u",
} as const satisfies Record<ComponentStatus, string>;
const NO_DATA = "n";
const STATUS_OF_CODE = new Map<string, ComponentStatus>(Object.entries(CODES).map(([status, code]) => [code, status as ComponentStatus]));

interface TrackedComponent {
  id: string;
  start_date: string | null;
  created_at: number;
  version: string;
  time_zone: string | null;
  first_day: string | null;
  figures: PackedDays | null;
}

/** Uptime over the window ending with `now`'s day in `zone`, by component id. */
export async function componentUptimes(
  db: Db,
  componentIds: readonly string[],
  options: { now: Date; zone: string; incidents: ReadonlyMap<string, readonly IncidentSpan[]> },
): Promise<Map<string, Uptime>> {
  const result = new Map<string, Uptime>();
  if (componentIds.length === 0) return result;
  const { now, zone } = options;
  const calendar = uptimeCalendar(now, zone);
  // The window's days already over at `now`: the only ones a rollup holds (today never is).
  let complete = 0;
  while (complete < calendar.days.length && calendar.days[complete].end <= now.getTime()) complete++;

  // The version is read with what the figures depend on, before the history (see the migration).
  const { rows } = await sql<TrackedComponent>`
    select c.id, c.start_date, extract(epoch from c.created_at)::float8 * 1000 as created_at,
           coalesce(r.version, 0)::text as version, r.time_zone, r.first_day, r.figures
    from components c
    left join uptime_rollups r on r.component_id = c.id
    where c.id in (${sql.join(componentIds)})
  `.execute(db);
  const known = new Map(rows.map((c) => [c.id, knownDays(c, calendar, complete)]));
  const changes = await statusChanges(
    db,
    rows.map((c) => ({ id: c.id, since: calendar.days[known.get(c.id)!.length]?.start ?? now.getTime() })),
    now,
  );

  const unsaved: { component: TrackedComponent; uptime: Uptime }[] = [];
  for (const c of rows) {
    const uptime = computeUptime({
      changes: changes.get(c.id) ?? [],
      startDate: c.start_date,
      createdAt: new Date(c.created_at),
      now,
      zone,
      calendar,
      incidents: options.incidents.get(c.id) ?? [],
      knownDays: known.get(c.id),
    });
    result.set(c.id, uptime);
    if (known.get(c.id)!.length < complete) unsaved.push({ component: c, uptime });
  }
  if (complete > 0 && unsaved.length > 0) await save(db, calendar, complete, unsaved);
  return result;
}

/** The rollup's days that fall in the window and are over at `now`, from the window's first day on. */
function knownDays(c: TrackedComponent, calendar: UptimeCalendar, complete: number): DayFigures[] {
  if (c.time_zone !== calendar.zone || !c.figures || !c.first_day) return [];
  const offset = Math.round((Date.parse(calendar.days[0].day) - Date.parse(c.first_day)) / DAY_MS);
  if (offset < 0) return [];
  const { worst, counted, major, partial } = c.figures;
  const days: DayFigures[] = [];
  for (let i = offset; i < Math.min(worst.length, offset + complete); i++) {
    days.push({
      worst: STATUS_OF_CODE.get(worst[i]) ?? null,
      countedMinutes: counted[i],
      majorOutageMinutes: major[i],
      partialOutageMinutes: partial[i],
    });
  }
  return days;
}

/*
 * Each component since its first day not known, plus its last change before
 * that (one index probe each), in ascending order; the reliability report
 * reads them too (lib/domain/measures.ts). Epoch milliseconds, not
 * timestamptz: a number costs nothing to read, a date string must be parsed.
 */
export async function statusChanges(db: Db, components: { id: string; since: number }[], now: Date) {
  const { rows } = await sql<{ component_id: string; status: ComponentStatus; at: number }>`
    select w.id as component_id, s.status, extract(epoch from s.at)::float8 * 1000 as at
    from (values ${sql.join(components.map((c) => sql`(${c.id}, ${new Date(c.since)}::timestamptz)`))}) as w(id, since)
    cross join lateral (
      (select status, at, id from component_status_changes
        where component_id = w.id and at < w.since order by at desc, id desc limit 1)
      union all
      (select status, at, id from component_status_changes
        where component_id = w.id and at >= w.since and at <= ${now} order by at, id)
    ) s
    order by w.id, s.at, s.id
  `.execute(db);
  const result = new Map<string, { status: ComponentStatus; at: Date }[]>();
  for (const row of rows) {
    let list = result.get(row.component_id);
    if (!list) result.set(row.component_id, (list = []));
    list.push({ status: row.status, at: new Date(row.at) });
  }
  return result;
}

/*
 * One statement per component: a reader then never holds one rollup row
 * while waiting for another, so it cannot deadlock with a writer that
 * changes several components. A save only lands if no write bumped the
 * version since it was read, and never replaces a row that reaches further.
 * The first save goes alone: where saving fails (a read-only replica) the
 * page pays for one failed statement, not one per component.
 */
async function save(db: Db, calendar: UptimeCalendar, complete: number, unsaved: { component: TrackedComponent; uptime: Uptime }[]) {
  const firstDay = calendar.days[0].day;
  const coveredUntil = new Date(calendar.days[complete - 1].end);
  const saveOne = ({ component, uptime }: { component: TrackedComponent; uptime: Uptime }) => {
    const days = uptime.days.slice(0, complete);
    const figures: PackedDays = {
      worst: days.map((d) => (d.worst ? CODES[d.worst] : NO_DATA)).join(""),
      counted: days.map((d) => d.countedMinutes),
      major: days.map((d) => d.majorOutageMinutes),
      partial: days.map((d) => d.partialOutageMinutes),
    };
    return sql`
      insert into uptime_rollups as r (component_id, version, time_zone, first_day, covered_until, figures)
      values (${component.id}, ${component.version}::bigint, ${calendar.zone}, ${firstDay}::date, ${coveredUntil}, ${JSON.stringify(figures)}::json)
      on conflict (component_id) do update set
        time_zone = excluded.time_zone, first_day = excluded.first_day,
        covered_until = excluded.covered_until, figures = excluded.figures
      where r.version = excluded.version
        and (r.time_zone is distinct from excluded.time_zone or r.covered_until is null or r.covered_until < excluded.covered_until)
    `.execute(db);
  };
  try {
    await saveOne(unsaved[0]);
    const rest = await Promise.allSettled(unsaved.slice(1).map(saveOne));
    const failed = rest.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    console.error("[uptime] rollup not saved:", error instanceof Error ? error.message : error);
  }
}

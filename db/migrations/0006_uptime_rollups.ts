/*
 * Uptime figures of complete past days, one row per component, so `/` reads
 * one row per component instead of every status change of the 90-day window
 * (lib/domain/uptime-rollups.ts fills them as it reads). Only for the zone they were
 * cut in: another page zone means other days.
 *
 * The database keeps them honest whoever writes the history (lib, the
 * management API, scripts, plain SQL): a write to a component's status
 * changes, or to its start_date or created_at, bumps the row's version and
 * drops its figures when they cover the changed instant; a TRUNCATE drops
 * them all. A reader saves
 * figures only if the version it read before reading the history is
 * unchanged. A write and a save meet on the row's lock: a save waiting on
 * a write finds the version bumped and does nothing; a write waiting on a
 * save then drops what was saved if it covers the changed instant. (A
 * writer at REPEATABLE READ or above may instead get a serialization error
 * to retry; the app's writers run at READ COMMITTED.)
 */
export const uptimeRollups: string[] = [
  `create table uptime_rollups (
    component_id text primary key references components(id) on delete cascade,
    version bigint not null default 0,
    time_zone text,
    first_day date,
    covered_until timestamptz,
    figures json,
    check ((time_zone is null) = (figures is null) and (first_day is null) = (figures is null)
      and (covered_until is null) = (figures is null))
  )`,
  // Inserting through components skips a component being deleted (its rollup goes with it).
  `create function forget_uptime(component text, since timestamptz) returns void language sql as $$
    insert into uptime_rollups as r (component_id, version)
    select id, 1 from components where id = component
    on conflict (component_id) do update set
      version = r.version + 1,
      time_zone = case when r.covered_until > since then null else r.time_zone end,
      first_day = case when r.covered_until > since then null else r.first_day end,
      figures = case when r.covered_until > since then null else r.figures end,
      covered_until = case when r.covered_until > since then null else r.covered_until end
  $$`,
  // Statement-level, so a bulk insert of history costs one call per component, not per row.
  `create function component_status_changes_forget_uptime() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      perform forget_uptime(component_id, min(at)) from changed group by component_id;
    elsif tg_op = 'DELETE' then
      perform forget_uptime(component_id, min(at)) from changed_before group by component_id;
    else
      perform forget_uptime(component_id, min(at))
      from (select component_id, at from changed union all select component_id, at from changed_before) c
      group by component_id;
    end if;
    return null;
  end $$`,
  `create trigger forget_uptime_on_insert after insert on component_status_changes
    referencing new table as changed for each statement execute function component_status_changes_forget_uptime()`,
  `create trigger forget_uptime_on_update after update on component_status_changes
    referencing old table as changed_before new table as changed
    for each statement execute function component_status_changes_forget_uptime()`,
  `create trigger forget_uptime_on_delete after delete on component_status_changes
    referencing old table as changed_before for each statement execute function component_status_changes_forget_uptime()`,
  // TRUNCATE fires no row or statement trigger of its own kind above: forget every rollup.
  `create function component_status_changes_truncated() returns trigger language plpgsql as $$
  begin
    update uptime_rollups set version = version + 1, time_zone = null, first_day = null, covered_until = null, figures = null;
    return null;
  end $$`,
  `create trigger forget_uptime_on_truncate after truncate on component_status_changes
    for each statement execute function component_status_changes_truncated()`,
  `create function components_forget_uptime() returns trigger language plpgsql as $$
  begin
    perform forget_uptime(new.id, '-infinity');
    return null;
  end $$`,
  `create trigger forget_uptime_on_tracking after update of start_date, created_at on components
    for each row when (old.start_date is distinct from new.start_date or old.created_at is distinct from new.created_at)
    execute function components_forget_uptime()`,
];

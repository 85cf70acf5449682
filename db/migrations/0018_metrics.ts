/*
 * System metrics (Statuspage's "system metrics"): a named series such as
 * "API response time" with how to show it, and its data points kept as
 * rollups rather than one row per point. A point lands in three buckets at
 * once (its minute, hour and day: sum, count, min, max), so a chart reads a
 * few hundred rows whatever the push rate, and retention drops minute
 * buckets after two days and hour buckets after 35: a year of per-minute
 * points costs a few thousand rows per metric.
 */
export const metrics: string[] = [
  `create table metrics (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    name text not null check (length(name) between 1 and 255),
    suffix text not null default '' check (length(suffix) <= 20),
    decimal_places integer not null default 0 check (decimal_places between 0 and 4),
    y_axis_min double precision,
    y_axis_max double precision,
    y_axis_hidden boolean not null default false,
    tooltip_description text not null default '' check (length(tooltip_description) <= 500),
    display boolean not null default true,
    position integer not null default 0,
    most_recent_data_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (y_axis_min is null or y_axis_max is null or y_axis_min < y_axis_max)
  )`,
  `create table metric_rollups (
    metric_id text not null references metrics(id) on delete cascade,
    resolution text not null check (resolution in ('minute','hour','day')),
    at timestamptz not null,
    sum double precision not null,
    count integer not null check (count > 0),
    min double precision not null,
    max double precision not null,
    primary key (metric_id, resolution, at)
  )`,
  `create index metric_rollups_age on metric_rollups (resolution, at)`,
];

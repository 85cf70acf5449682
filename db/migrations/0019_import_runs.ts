/*
 * Imports started from the admin area (lib/imports/statuspage/runs.ts): what
 * was asked (a public URL, or a page id — never the key), how far it got
 * (the latest progress lines), and the report or the error at the end.
 */
export const importRuns: string[] = [
  `create table import_runs (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    source_kind text not null check (source_kind in ('public','management')),
    target text not null check (length(target) between 1 and 2000),
    status text not null default 'running' check (status in ('running','done','failed')),
    progress text not null default '',
    report jsonb,
    error text,
    started_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    finished_at timestamptz
  )`,
];

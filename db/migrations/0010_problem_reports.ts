/*
 * Problem reports: what customers send through /report, never published.
 * A report names a component, or none ("not sure / the whole service").
 * report_attempts is what the form's limits count (per client IP /64, per
 * component), like subscribe_attempts; retention prunes it. The form is off
 * until an owner turns it on.
 */
export const problemReports: string[] = [
  `create table problem_reports (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    component_id text references components(id) on delete set null,
    description text not null check (length(description) between 10 and 2000),
    email text check (length(email) between 3 and 320 and email = lower(email)),
    created_at timestamptz not null default now()
  )`,
  `create index problem_reports_created on problem_reports (created_at desc)`,
  `create index problem_reports_component on problem_reports (component_id, created_at desc)`,
  `create table report_attempts (
    id bigserial primary key,
    scope text not null check (scope in ('ip','component')),
    value text not null check (length(value) between 1 and 100),
    at timestamptz not null default now()
  )`,
  `create index report_attempts_lookup on report_attempts (scope, value, at desc)`,
  `create index report_attempts_at on report_attempts (at)`,
  `alter table page add column reports_enabled boolean not null default false`,
];

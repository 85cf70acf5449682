/*
 * Hearing back, and the proof-of-work challenge of the report form.
 * - problem_reports.incident_id: the incident declared from a group of reports.
 * - report_followups: one row per (incident, reporter address), queued in the
 *   transaction that resolves the incident; the primary key is what makes it
 *   once, even if the incident is reopened and resolved again. Claimed with a
 *   lease and sent with a stable idempotency key, like the delivery outbox.
 * - report_optouts: addresses that asked never to hear back about reports.
 * - report_attempts scope 'challenge': a solved challenge's signature, so one
 *   solution cannot be replayed within its lifetime.
 */
export const reportFollowups: string[] = [
  `alter table page add column reports_challenge boolean not null default false`,
  `alter table report_attempts drop constraint report_attempts_scope_check`,
  `alter table report_attempts add constraint report_attempts_scope_check check (scope in ('ip','component','challenge'))`,
  `alter table problem_reports add column incident_id text references incidents(id) on delete set null`,
  `create index problem_reports_incident on problem_reports (incident_id) where incident_id is not null`,
  `create table report_followups (
    incident_id text not null references incidents(id) on delete cascade,
    email text not null check (length(email) between 3 and 320 and email = lower(email)),
    status text not null default 'queued' check (status in ('queued','sending','sent','failed','cancelled')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    primary key (incident_id, email)
  )`,
  `create index report_followups_due on report_followups (next_attempt_at) where status in ('queued','sending')`,
  `create table report_optouts (
    email text primary key check (length(email) between 3 and 320 and email = lower(email)),
    at timestamptz not null default now()
  )`,
];

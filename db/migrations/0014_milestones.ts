/*
 * Incident milestones and per-severity targets (issue 13). Most milestones
 * are already in incidents (started_at, created_at = declared, identified_at,
 * monitoring_at = mitigated, resolved_at, postmortem_published_at) or
 * derived from the timeline (first public update = the first update
 * written). Only the two Candor cannot see are stored here: when the
 * problem was detected and when someone acknowledged it, null when not
 * given (lib/core/milestones.ts then takes the declaration). Each update
 * keeps the next-update time it promised, so "promises kept" survives later
 * cadence changes. The page keeps its targets per severity (minutes; null:
 * no target), defaulting to the runbooks' table (docs/measures.md).
 * Owners may opt in to a monthly digest of the report (a row each); one row
 * per month sent makes it once, whichever process claims it.
 */
export const milestones: string[] = [
  `alter table incidents add column detected_at timestamptz, add column acknowledged_at timestamptz`,
  `alter table incidents add constraint incidents_milestones_incident_only
    check (kind = 'incident' or (detected_at is null and acknowledged_at is null))`,
  `alter table incident_updates add column next_update_due_at timestamptz`,
  `alter table page add column targets jsonb not null default '{
    "SEV-1": {"acknowledge": 5, "firstUpdate": 30, "resolve": 60, "postmortem": 1440},
    "SEV-2": {"acknowledge": 15, "firstUpdate": 30, "resolve": 240, "postmortem": 1440},
    "SEV-3": {"acknowledge": 60, "firstUpdate": 60, "resolve": 1440, "postmortem": 7200},
    "SEV-4": {"acknowledge": 240, "firstUpdate": null, "resolve": 4320, "postmortem": null}
  }'`,
  `create table digest_subscriptions (
    user_id text primary key references users(id) on delete cascade,
    created_at timestamptz not null default now()
  )`,
  `create table digest_sends (
    month text primary key check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    sent_at timestamptz not null default now(),
    recipients integer not null check (recipients >= 0)
  )`,
];

/*
 * The foundation: page settings, components and their status history,
 * incidents and maintenance (one table, one timeline model), updates,
 * templates, the audit log. Constraints live here, not only in TypeScript.
 */
const componentStatus = `('operational','degraded_performance','partial_outage','major_outage','under_maintenance')`;
const incidentStatus = `('investigating','identified','monitoring','resolved','postmortem')`;
const maintenanceStatus = `('scheduled','in_progress','verifying','completed')`;
const publicId = `text primary key check (id ~ '^[a-z0-9]{12}$')`;

export const foundation: string[] = [
  `create table page (
    id ${publicId},
    singleton boolean not null default true unique check (singleton),
    name text not null check (length(name) between 1 and 100),
    url text not null,
    time_zone text not null default 'Etc/UTC',
    support_url text,
    logo_url text,
    sender_email text,
    cadence_minutes jsonb not null default '{"SEV-1":15,"SEV-2":30,"SEV-3":60,"SEV-4":null}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create table component_groups (
    id ${publicId},
    name text not null check (length(name) between 1 and 200),
    description text,
    position integer not null check (position >= 1),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz
  )`,
  `create table components (
    id ${publicId},
    group_id text references component_groups(id) on delete restrict,
    name text not null check (length(name) between 1 and 200),
    description text,
    position integer not null check (position >= 1),
    showcase boolean not null default true,
    only_show_if_degraded boolean not null default false,
    start_date date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    archived_at timestamptz
  )`,
  `create index components_group_position on components (group_id, position)`,
  `create table incidents (
    id ${publicId},
    reference text not null unique check (reference ~ '^(INC|MNT)-[0-9]{4}-[0-9]{4,}$'),
    kind text not null check (kind in ('incident','maintenance')),
    name text not null check (length(name) between 1 and 255),
    status text not null,
    impact text not null check (impact in ('none','minor','major','critical','maintenance')),
    severity text check (severity in ('SEV-1','SEV-2','SEV-3','SEV-4')),
    started_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    identified_at timestamptz,
    monitoring_at timestamptz,
    resolved_at timestamptz,
    next_update_due_at timestamptz,
    scheduled_for timestamptz,
    scheduled_until timestamptz,
    scheduled_auto_transition boolean not null default true,
    scheduled_remind_prior boolean not null default false,
    scheduled_reminded_at timestamptz,
    cancelled_at timestamptz,
    sequence integer not null default 0,
    postmortem_body text,
    postmortem_published_at timestamptz,
    backfilled boolean not null default false,
    check (
      (kind = 'incident' and status in ${incidentStatus} and severity is not null and impact <> 'maintenance')
      or (kind = 'maintenance' and status in ${maintenanceStatus}
          and scheduled_for is not null and scheduled_until > scheduled_for)
    ),
    check (status <> 'postmortem' or postmortem_published_at is not null)
  )`,
  `create index incidents_unresolved on incidents (started_at desc)
    where status in ('investigating','identified','monitoring','scheduled','in_progress','verifying')`,
  `create index incidents_kind_started on incidents (kind, started_at desc)`,
  `create table incident_components (
    incident_id text not null references incidents(id) on delete cascade,
    component_id text not null references components(id) on delete cascade,
    primary key (incident_id, component_id)
  )`,
  `create index incident_components_component on incident_components (component_id)`,
  `create table incident_updates (
    id ${publicId},
    incident_id text not null references incidents(id) on delete cascade,
    status text not null check (status in ${incidentStatus.slice(0, -1)},${maintenanceStatus.slice(1)}),
    body text not null check (length(body) between 1 and 20000),
    display_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    notify boolean not null default true,
    created_by text not null default 'system'
  )`,
  `create index incident_updates_timeline on incident_updates (incident_id, display_at desc, created_at desc)`,
  `create table update_component_changes (
    update_id text not null references incident_updates(id) on delete cascade,
    component_id text not null references components(id) on delete cascade,
    old_status text not null check (old_status in ${componentStatus}),
    new_status text not null check (new_status in ${componentStatus}),
    primary key (update_id, component_id)
  )`,
  `create table component_status_changes (
    id bigserial primary key,
    component_id text not null references components(id) on delete cascade,
    status text not null check (status in ${componentStatus}),
    at timestamptz not null,
    incident_id text references incidents(id) on delete set null,
    update_id text references incident_updates(id) on delete set null,
    created_at timestamptz not null default now()
  )`,
  `create index component_status_changes_history on component_status_changes (component_id, at desc, id desc)`,
  `create index component_status_changes_at on component_status_changes (at)`,
  `create table templates (
    id ${publicId},
    kind text not null check (kind in ('incident','maintenance','postmortem')),
    status text not null check (status in ${incidentStatus.slice(0, -1)},${maintenanceStatus.slice(1)}),
    name text not null check (length(name) between 1 and 100),
    title text not null default '',
    body text not null check (length(body) between 1 and 20000),
    is_default boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (kind, status, name)
  )`,
  `create unique index templates_one_default on templates (kind, status) where is_default`,
  `create table reference_counters (
    prefix text not null check (prefix in ('INC','MNT')),
    year integer not null,
    last integer not null,
    primary key (prefix, year)
  )`,
  `create table audit_entries (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor text not null,
    source text not null check (source in ('session','api_key','system')),
    action text not null,
    subject_type text not null,
    subject_id text,
    before jsonb,
    after jsonb,
    ip text
  )`,
  `create index audit_entries_at on audit_entries (at desc)`,
  `create index audit_entries_subject on audit_entries (subject_type, subject_id)`,
];

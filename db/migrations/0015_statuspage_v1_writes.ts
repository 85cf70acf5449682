/*
 * What Statuspage's v1 API writes that Candor had no column for: an
 * incident's impact override (the public impact an integration set, kept
 * apart from the one its severity gives) and its metadata (an object of
 * objects integrations tag incidents with); a postmortem's draft, kept
 * apart from the published text until it is published; and the per-key request rate of
 * the v1 API, one row per key holding its GCRA "theoretical arrival time",
 * so every app instance counts the same requests.
 */
export const statuspageV1Writes: string[] = [
  `alter table incidents add column impact_override text
    check (impact_override in ('none','minor','major','critical','maintenance'))`,
  `alter table incidents add column metadata jsonb not null default '{}'::jsonb
    check (jsonb_typeof(metadata) = 'object')`,
  `alter table incidents add column postmortem_draft text`,
  `alter table incidents add column postmortem_draft_updated_at timestamptz`,
  `create table api_rate_limits (
    api_key_id text primary key references api_keys(id) on delete cascade,
    tat timestamptz not null
  )`,
];

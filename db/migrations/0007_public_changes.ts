/*
 * Every committed write to what the public pages show sends one NOTIFY on
 * `candor_public`, whoever made it (an app instance, a script, plain SQL),
 * so every app instance can refresh its caches (lib/runtime/public-changes.ts)
 * instead of waiting for their revalidate period. The payload is the
 * writer's application_name: an instance ignores its own writes, which it
 * has refreshed already. PostgreSQL sends a notification at commit, and
 * once per transaction for equal payloads.
 */
const PUBLIC_TABLES = [
  "page",
  "component_groups",
  "components",
  "component_status_changes",
  "incidents",
  "incident_components",
  "incident_updates",
  "update_component_changes",
];

export const publicChanges: string[] = [
  `create function notify_public_change() returns trigger language plpgsql as $$
  begin
    perform pg_notify('candor_public', coalesce(current_setting('application_name', true), ''));
    return null;
  end $$`,
  ...PUBLIC_TABLES.map(
    (table) => `create trigger ${table}_public_change after insert or update or delete or truncate on ${table}
      for each statement execute function notify_public_change()`,
  ),
];

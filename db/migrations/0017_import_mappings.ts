/*
 * What an import from another status page brought in: for each object of the
 * source (a component, a group, an incident, an update, a template), the row
 * it became here. A second run of the same import skips what is mapped and
 * adds only what is new (a later update of an imported incident, say), so a
 * team can import early and again just before switching.
 */
export const importMappings: string[] = [
  `create table import_mappings (
    source text not null check (length(source) between 1 and 300),
    kind text not null check (kind in ('group','component','incident','update','template')),
    external_id text not null check (length(external_id) between 1 and 100),
    candor_id text not null,
    imported_at timestamptz not null default now(),
    primary key (source, kind, external_id)
  )`,
];

/*
 * The Statuspage-compatible embed's settings (/embed/script.js, /embed/frame):
 * one row at most, named as Statuspage's status_embed_config so the v1 API
 * can serve it as it is. No row: the defaults in lib/domain/embed-config.ts.
 * Colours are stored normalised (#rrggbb); the domain checks their contrast.
 */
export const statusEmbedConfig: string[] = [
  `create table status_embed_config (
    singleton boolean primary key default true check (singleton),
    position text not null check (position in ('bottom-left', 'bottom-right', 'top-left', 'top-right')),
    incident_background_color text not null check (incident_background_color ~ '^#[0-9a-f]{6}$'),
    incident_text_color text not null check (incident_text_color ~ '^#[0-9a-f]{6}$'),
    maintenance_background_color text not null check (maintenance_background_color ~ '^#[0-9a-f]{6}$'),
    maintenance_text_color text not null check (maintenance_text_color ~ '^#[0-9a-f]{6}$'),
    updated_at timestamptz not null default now()
  )`,
];

/*
 * API keys for the management API (/api/v1) and the Idempotency-Key records
 * of its creates. A key is stored only as the SHA-256 of its token.
 */
export const apiKeys: string[] = [
  `create table api_keys (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    name text not null check (length(name) between 1 and 100),
    scope text not null check (scope in ('read','write')),
    token_prefix text not null,
    token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    created_by text not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    revoked_by text
  )`,
  `create table idempotency_keys (
    api_key_id text not null references api_keys(id) on delete cascade,
    key text not null check (length(key) between 1 and 255),
    request_hash text not null,
    status integer not null check (status between 200 and 299),
    response jsonb not null,
    created_at timestamptz not null default now(),
    primary key (api_key_id, key)
  )`,
  `create index idempotency_keys_created_at on idempotency_keys (created_at)`,
];

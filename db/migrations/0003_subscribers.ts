/*
 * Subscribers and the email outbox. Deliveries are the durable record of
 * what each subscriber was sent; workers claim them with SKIP LOCKED, and a
 * single send_rate row paces every worker to the provider's rate.
 */
const subscriberStatus = `('pending','active','unsubscribed','bounced','complained')`;
const deliveryStatus = `('queued','sending','sent','failed','superseded','bounced')`;

export const subscribers: string[] = [
  `create table subscribers (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    email text not null check (length(email) between 3 and 320 and email = lower(email)),
    status text not null default 'pending' check (status in ${subscriberStatus}),
    all_components boolean not null default true,
    consent_source text not null check (consent_source in ('form','import','admin')),
    consent_ip text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    confirmed_at timestamptz,
    unsubscribed_at timestamptz
  )`,
  `create unique index subscribers_email on subscribers (email)`,
  `create index subscribers_active_all on subscribers (id) where status = 'active' and all_components`,
  `create index subscribers_status on subscribers (status, created_at desc)`,
  `create table subscriber_components (
    subscriber_id text not null references subscribers(id) on delete cascade,
    component_id text not null references components(id) on delete cascade,
    primary key (component_id, subscriber_id)
  )`,
  `create index subscriber_components_subscriber on subscriber_components (subscriber_id)`,
  // The link token is derived from id with a server secret; only its SHA-256 is stored.
  `create table subscriber_tokens (
    id text primary key,
    subscriber_id text not null references subscribers(id) on delete cascade,
    purpose text not null check (purpose in ('confirm','manage')),
    token_hash text not null unique,
    created_at timestamptz not null default now(),
    expires_at timestamptz,
    used_at timestamptz,
    revoked_at timestamptz
  )`,
  `create index subscriber_tokens_subscriber on subscriber_tokens (subscriber_id, purpose)`,
  `create table subscribe_attempts (
    id bigserial primary key,
    scope text not null check (scope in ('ip','email')),
    value text not null,
    at timestamptz not null default now()
  )`,
  `create index subscribe_attempts_lookup on subscribe_attempts (scope, value, at desc)`,
  // Enqueueing 100,000 rows must take well under 2 s, so this table carries no
  // foreign keys (a trigger per row) and only the indexes sending needs.
  // Subscriber erasure deletes its rows explicitly (lib/domain/subscribers/admin.ts).
  // The idempotency key is derived, not stored: u:<update>:<subscriber>, p:<update>:<subscriber>, c:<token>.
  `create table deliveries (
    id bigserial primary key,
    subscriber_id text not null,
    kind text not null check (kind in ('incident','maintenance','postmortem','confirmation')),
    incident_id text,
    update_id text,
    token_id text,
    mode text not null default 'attach' check (mode in ('attach','batch')),
    status text not null default 'queued' check (status in ${deliveryStatus}),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    lease_until timestamptz,
    batch_key text,
    resend_id text,
    last_error text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    sent_at timestamptz,
    check ((kind = 'confirmation') = (token_id is not null)),
    check ((kind = 'confirmation') = (update_id is null))
  )`,
  `create unique index deliveries_once_per_update on deliveries (update_id, kind, subscriber_id)`,
  `create unique index deliveries_once_per_token on deliveries (token_id) where token_id is not null`,
  `create index deliveries_claim on deliveries (next_attempt_at, id) where status = 'queued'`,
  `create index deliveries_leased on deliveries (lease_until) where status = 'sending'`,
  // In flight per subscriber and incident (a newer update waits for it); not touched by enqueueing.
  `create index deliveries_in_flight on deliveries (incident_id, subscriber_id) where status = 'sending'`,
  `create index deliveries_batch on deliveries (batch_key) where batch_key is not null`,
  // One row per provider; next_at is the earliest moment the next request may start.
  `create table send_rate (
    name text primary key,
    next_at timestamptz not null default now()
  )`,
  `create table mail_settings (
    singleton boolean primary key default true check (singleton),
    token_secret text not null,
    mode text not null default 'auto' check (mode in ('attach','batch','auto')),
    target_seconds integer not null default 120 check (target_seconds > 0)
  )`,
  // Demo mode (no RESEND_API_KEY): the emails exactly as they would have been sent.
  `create table outbox_emails (
    id text primary key,
    idempotency_key text unique,
    sender text not null,
    recipient text not null,
    subject text not null,
    html text,
    text text,
    headers jsonb not null default '{}',
    attachments jsonb not null default '[]',
    created_at timestamptz not null default now()
  )`,
  `create index outbox_emails_created on outbox_emails (created_at desc)`,
];

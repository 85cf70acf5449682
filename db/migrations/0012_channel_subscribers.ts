/*
 * Channel subscribers (webhook, Slack, Discord, Teams): rows of `subscribers`
 * with a channel, so the component choice, erasure and the set-based enqueue
 * stay one implementation; what only an endpoint has (its URL, signing
 * secret, format, failure record) lives in subscriber_endpoints. Their
 * deliveries are rows of the same outbox, marked with the channel so email
 * claims and channel claims each walk their own partial index.
 */
export const channelSubscribers: string[] = [
  `alter table subscribers add column channel text not null default 'email'
    check (channel in ('email','webhook','slack','discord','teams'))`,
  `alter table subscribers alter column email drop not null`,
  `alter table subscribers add constraint subscribers_email_channel check ((channel = 'email') = (email is not null))`,
  // Which events a subscriber hears about; email subscribers keep hearing about incidents and maintenance.
  `alter table subscribers add column events text[] not null default '{incident,maintenance}'
    check (events <@ array['incident','maintenance','component']::text[] and cardinality(events) > 0)`,
  `alter table subscribers drop constraint subscribers_status_check`,
  `alter table subscribers add constraint subscribers_status_check
    check (status in ('pending','active','unsubscribed','bounced','complained','quarantined'))`,
  `create index subscribers_channel on subscribers (channel, created_at desc) where channel <> 'email'`,
  // url is a credential (Slack and Discord URLs are) and secret signs requests: neither is shown after creation.
  `create table subscriber_endpoints (
    subscriber_id text primary key references subscribers(id) on delete cascade,
    url text not null check (length(url) between 8 and 2048),
    host text not null,
    format text check (format in ('statuspage','candor')),
    secret text not null,
    contact_email text check (contact_email is null or length(contact_email) between 3 and 320),
    failures integer not null default 0,
    last_error text,
    last_response text,
    last_attempt_at timestamptz,
    quarantined_at timestamptz,
    quarantine_notified_at timestamptz
  )`,
  `alter table deliveries add column channel text not null default 'email'
    check (channel in ('email','webhook','slack','discord','teams'))`,
  // A component status change (component_status_changes.id) for the 'component' event.
  `alter table deliveries add column change_id bigint`,
  `alter table deliveries drop constraint deliveries_kind_check`,
  `alter table deliveries add constraint deliveries_kind_check
    check (kind in ('incident','maintenance','postmortem','confirmation','component'))`,
  `alter table deliveries drop constraint deliveries_check1`,
  `alter table deliveries add constraint deliveries_update_or_change
    check (case kind when 'confirmation' then update_id is null and change_id is null
      when 'component' then change_id is not null else update_id is not null end)`,
  `create unique index deliveries_once_per_change on deliveries (change_id, subscriber_id) where change_id is not null`,
  `drop index deliveries_claim`,
  `create index deliveries_claim on deliveries (priority, mode, next_attempt_at, id) where status = 'queued' and channel = 'email'`,
  `create index deliveries_channel_claim on deliveries (next_attempt_at, id) where status = 'queued' and channel <> 'email'`,
  // A channel delivery is claimable only when it is its subscriber's oldest queued one of the incident (receivers see events in order).
  `create index deliveries_channel_queued on deliveries (subscriber_id, incident_id, id) where status = 'queued' and channel <> 'email'`,
];

import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable } from "kysely";

/* Kysely types for the tables in migrations/. Timestamps read back as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type ComponentStatus =
  | "operational"
  | "degraded_performance"
  | "partial_outage"
  | "major_outage"
  | "under_maintenance";
export type IncidentStatus = "investigating" | "identified" | "monitoring" | "resolved" | "postmortem";
export type MaintenanceStatus = "scheduled" | "in_progress" | "verifying" | "completed";
export type UpdateStatus = IncidentStatus | MaintenanceStatus;
export type Impact = "none" | "minor" | "major" | "critical" | "maintenance";
export type Severity = "SEV-1" | "SEV-2" | "SEV-3" | "SEV-4";
export type IncidentKind = "incident" | "maintenance";
export type AuditSource = "session" | "api_key" | "system";

/** Minutes from the incident's start (postmortem: from resolution) a milestone is promised within; null: no target. */
export interface SeverityTargets {
  acknowledge: number | null;
  firstUpdate: number | null;
  resolve: number | null;
  postmortem: number | null;
}

/** The languages Candor's own words are written in (lib/core/locales.ts LOCALES). */
export type Locale = "en" | "de" | "fr" | "es" | "pt-BR" | "ja" | "zh-CN" | "ar";

export interface PageTable {
  id: string;
  singleton: Generated<boolean>;
  name: string;
  url: string;
  time_zone: Generated<string>;
  support_url: string | null;
  logo_url: string | null;
  sender_email: string | null;
  cadence_minutes: ColumnType<Record<Severity, number | null>, string | undefined, string>;
  /** The public /report form is on (db/migrations/0010_problem_reports.ts). */
  reports_enabled: Generated<boolean>;
  /** The report form asks the browser for a proof of work (db/migrations/0016_report_followups.ts). */
  reports_challenge: Generated<boolean>;
  /** Per-severity targets in minutes (db/migrations/0014_milestones.ts). */
  targets: ColumnType<Record<Severity, SeverityTargets>, string | undefined, string>;
  /** Served unprefixed; one of `locales` (db/migrations/0022_locales.ts). */
  default_locale: Generated<Locale>;
  /** The locales the public site offers. */
  locales: Generated<Locale[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ComponentGroupTable {
  id: string;
  name: string;
  description: string | null;
  position: number;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  archived_at: Timestamp | null;
}

export interface ComponentTable {
  id: string;
  group_id: string | null;
  name: string;
  description: string | null;
  position: number;
  showcase: Generated<boolean>;
  only_show_if_degraded: Generated<boolean>;
  start_date: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  archived_at: Timestamp | null;
}

export interface IncidentTable {
  id: string;
  reference: string;
  kind: IncidentKind;
  name: string;
  status: UpdateStatus;
  impact: Impact;
  severity: Severity | null;
  started_at: Timestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  identified_at: Timestamp | null;
  monitoring_at: Timestamp | null;
  resolved_at: Timestamp | null;
  next_update_due_at: Timestamp | null;
  scheduled_for: Timestamp | null;
  scheduled_until: Timestamp | null;
  scheduled_auto_transition: Generated<boolean>;
  scheduled_remind_prior: Generated<boolean>;
  scheduled_reminded_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  sequence: Generated<number>;
  postmortem_body: string | null;
  postmortem_published_at: Timestamp | null;
  backfilled: Generated<boolean>;
  /** The public impact an integration set through Statuspage's v1 API (db/migrations/0015_statuspage_v1_writes.ts). */
  impact_override: Impact | null;
  metadata: ColumnType<Record<string, Record<string, unknown>>, string | undefined, string>;
  /** A postmortem being written; `postmortem_body` is what was published. */
  postmortem_draft: string | null;
  postmortem_draft_updated_at: Timestamp | null;
  /** Given on declare or later (db/migrations/0014_milestones.ts); null: taken as the declaration. */
  detected_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
}

export interface IncidentComponentTable {
  incident_id: string;
  component_id: string;
}

export interface IncidentUpdateTable {
  id: string;
  incident_id: string;
  status: UpdateStatus;
  body: string;
  display_at: Timestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  notify: Generated<boolean>;
  created_by: Generated<string>;
  /** The next update this one promised (db/migrations/0014_milestones.ts); null: none promised. */
  next_update_due_at: Timestamp | null;
}

export interface UpdateComponentChangeTable {
  update_id: string;
  component_id: string;
  old_status: ComponentStatus;
  new_status: ComponentStatus;
}

export interface ComponentStatusChangeTable {
  id: Generated<string>;
  component_id: string;
  status: ComponentStatus;
  at: Timestamp;
  incident_id: string | null;
  update_id: string | null;
  created_at: CreatedAt;
}

/** Figures of complete past days (db/migrations/0006_uptime_rollups.ts), read and written by lib/domain/uptime-rollups.ts. */
export interface UptimeRollupTable {
  component_id: string;
  /** bigint: a string from pg, a number from PGlite (lib/domain/uptime-rollups.ts reads it as text). */
  version: Generated<string | number>;
  time_zone: string | null;
  first_day: string | null;
  covered_until: Timestamp | null;
  figures: Json<unknown> | null;
}

export interface TemplateTable {
  id: string;
  kind: "incident" | "maintenance" | "postmortem";
  status: UpdateStatus;
  name: string;
  title: Generated<string>;
  body: string;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ReferenceCounterTable {
  prefix: "INC" | "MNT";
  year: number;
  last: number;
}

export interface AuditEntryTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor: string;
  source: AuditSource;
  action: string;
  subject_type: string;
  subject_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  ip: string | null;
}

export interface Database {
  page: PageTable;
  component_groups: ComponentGroupTable;
  components: ComponentTable;
  incidents: IncidentTable;
  incident_components: IncidentComponentTable;
  incident_updates: IncidentUpdateTable;
  update_component_changes: UpdateComponentChangeTable;
  component_status_changes: ComponentStatusChangeTable;
  uptime_rollups: UptimeRollupTable;
  templates: TemplateTable;
  reference_counters: ReferenceCounterTable;
  audit_entries: AuditEntryTable;
  subscribers: SubscriberTable;
  subscriber_components: SubscriberComponentTable;
  subscriber_endpoints: SubscriberEndpointTable;
  subscriber_tokens: SubscriberTokenTable;
  subscribe_attempts: SubscribeAttemptTable;
  deliveries: DeliveryTable;
  send_rate: SendRateTable;
  mail_settings: MailSettingsTable;
  outbox_emails: OutboxEmailTable;
  api_keys: ApiKeyTable;
  idempotency_keys: IdempotencyKeyTable;
  api_rate_limits: ApiRateLimitTable;
  problem_reports: ProblemReportTable;
  report_attempts: ReportAttemptTable;
  report_alerts: ReportAlertTable;
  report_followups: ReportFollowupTable;
  report_optouts: ReportOptoutTable;
  import_mappings: ImportMappingTable;
  metrics: MetricTable;
  metric_rollups: MetricRollupTable;
  import_runs: ImportRunTable;
  status_embed_config: StatusEmbedConfigTable;
  digest_subscriptions: DigestSubscriptionTable;
  digest_sends: DigestSendTable;
}

/** An owner who asked for the monthly reliability digest (db/migrations/0014_milestones.ts). */
export interface DigestSubscriptionTable {
  user_id: string;
  created_at: CreatedAt;
}

/** A month whose digest was sent (claimed), once. */
export interface DigestSendTable {
  month: string;
  sent_at: Generated<Date>;
  recipients: number;
}

export type Page = Selectable<PageTable>;
export type ComponentGroupRow = Selectable<ComponentGroupTable>;
export type ComponentRow = Selectable<ComponentTable>;
export type IncidentRow = Selectable<IncidentTable>;
export type IncidentUpdateRow = Selectable<IncidentUpdateTable>;
export type TemplateRow = Selectable<TemplateTable>;
export type NewIncident = Insertable<IncidentTable>;

/** owner: also the page's and the embed's settings (db/migrations/0021_owner_api_keys.ts). */
export type ApiKeyScope = "read" | "write" | "owner";

export interface ApiKeyTable {
  id: string;
  name: string;
  scope: ApiKeyScope;
  token_prefix: string;
  token_hash: string;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

/** A key's request rate on Statuspage's v1 API: its GCRA theoretical arrival time (lib/http/statuspage-v1/rate-limit.ts). */
export interface ApiRateLimitTable {
  api_key_id: string;
  tat: Timestamp;
}

export interface IdempotencyKeyTable {
  api_key_id: string;
  key: string;
  request_hash: string;
  status: number;
  response: Json<unknown>;
  created_at: CreatedAt;
}

export type SubscriberStatus = "pending" | "active" | "unsubscribed" | "bounced" | "complained" | "quarantined";
export type DeliveryStatus = "queued" | "sending" | "sent" | "failed" | "superseded" | "bounced";
export type DeliveryKind = "incident" | "maintenance" | "postmortem" | "confirmation" | "component";
/** How a subscriber hears (db/migrations/0012_channel_subscribers.ts). */
export type Channel = "email" | "webhook" | "slack" | "discord" | "teams";
/** reports: problem-report spikes (lib/delivery/report-spike-channels.ts), for the team's own channels. */
export type ChannelEvent = "incident" | "maintenance" | "component" | "reports";
export type WebhookFormat = "statuspage" | "candor";
export type SendingMode = "attach" | "batch";

export interface SubscriberTable {
  id: string;
  /** null for a channel other than email. */
  email: string | null;
  channel: Generated<Channel>;
  events: ColumnType<ChannelEvent[], ChannelEvent[] | undefined, ChannelEvent[]>;
  status: Generated<SubscriberStatus>;
  all_components: Generated<boolean>;
  /** The language of their emails and chat messages (db/migrations/0022_locales.ts). */
  locale: Generated<Locale>;
  consent_source: "form" | "import" | "admin";
  consent_ip: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
}

/** A channel subscriber's endpoint; url and secret are never shown after creation. */
export interface SubscriberEndpointTable {
  subscriber_id: string;
  url: string;
  host: string;
  format: WebhookFormat | null;
  secret: string;
  contact_email: string | null;
  /** Consecutive failed deliveries; reset by a success. */
  failures: Generated<number>;
  last_error: string | null;
  last_response: string | null;
  last_attempt_at: Timestamp | null;
  quarantined_at: Timestamp | null;
  quarantine_notified_at: Timestamp | null;
}

export interface SubscriberComponentTable {
  subscriber_id: string;
  component_id: string;
}

export interface SubscriberTokenTable {
  id: string;
  subscriber_id: string;
  purpose: "confirm" | "manage";
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SubscribeAttemptTable {
  id: Generated<string>;
  scope: "ip" | "email";
  value: string;
  at: Generated<Date>;
}

/** What a customer sent through /report (db/migrations/0010_problem_reports.ts); never published. */
export interface ProblemReportTable {
  id: string;
  /** null: "not sure / the whole service". */
  component_id: string | null;
  description: string;
  email: string | null;
  /** The incident declared from this report's group; its reporter hears back when it resolves. */
  incident_id: Generated<string | null>;
  /** The language it was reported in: the follow-up's (db/migrations/0023_report_locale.ts). */
  locale: Generated<Locale>;
  created_at: CreatedAt;
}

export interface ReportAttemptTable {
  id: Generated<string>;
  /** challenge: a solved proof-of-work's signature, spent. */
  scope: "ip" | "component" | "challenge";
  value: string;
  at: Generated<Date>;
}

/** A spike alert sent for one component ("none": not sure) and window (db/migrations/0011_report_alerts.ts). */
export interface ReportAlertTable {
  component_key: string;
  window_start: Date;
  sent_at: Generated<Date>;
  /** How many owners and editors it went to. */
  recipients: number;
}

/** One "it is fixed" email to a reporter who left an address (db/migrations/0016_report_followups.ts). */
export interface ReportFollowupTable {
  incident_id: string;
  email: string;
  status: Generated<"queued" | "sending" | "sent" | "failed" | "cancelled">;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  lease_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
}

export interface ReportOptoutTable {
  email: string;
  at: Generated<Date>;
}

/** An object of an imported status page and the row it became (db/migrations/0017_import_mappings.ts). */
export interface ImportMappingTable {
  /** e.g. "statuspage:kctbh9vrtdwd". */
  source: string;
  kind: "group" | "component" | "incident" | "update" | "template";
  external_id: string;
  candor_id: string;
  imported_at: Generated<Date>;
}

/** An import started from the admin area (db/migrations/0019_import_runs.ts). */
export interface ImportRunTable {
  id: string;
  source_kind: "public" | "management";
  /** The public URL, or the page id: never the key. */
  target: string;
  status: Generated<"running" | "done" | "failed">;
  /** The latest progress lines. */
  progress: Generated<string>;
  report: Json<unknown> | null;
  error: string | null;
  started_by: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  finished_at: Timestamp | null;
}

/** A public system metric (db/migrations/0018_metrics.ts). */
export interface MetricTable {
  id: string;
  name: string;
  /** Shown after each value: "ms", "%". */
  suffix: Generated<string>;
  decimal_places: Generated<number>;
  y_axis_min: number | null;
  y_axis_max: number | null;
  y_axis_hidden: Generated<boolean>;
  tooltip_description: Generated<string>;
  /** Shown on the public page. */
  display: Generated<boolean>;
  position: Generated<number>;
  most_recent_data_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type MetricResolution = "minute" | "hour" | "day";

/** A metric's points in one minute, hour or day (db/migrations/0018_metrics.ts). */
export interface MetricRollupTable {
  metric_id: string;
  resolution: MetricResolution;
  at: Date;
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** The Statuspage-compatible embed's settings (db/migrations/0013_status_embed_config.ts): one row at most. */
export interface StatusEmbedConfigTable {
  singleton: Generated<boolean>;
  position: "bottom-left" | "bottom-right" | "top-left" | "top-right";
  incident_background_color: string;
  incident_text_color: string;
  maintenance_background_color: string;
  maintenance_text_color: string;
  updated_at: UpdatedAt;
}

export interface DeliveryTable {
  id: Generated<string>;
  subscriber_id: string;
  kind: DeliveryKind;
  channel: Generated<Channel>;
  /** component_status_changes.id of a 'component' delivery. */
  change_id: string | null;
  incident_id: string | null;
  update_id: string | null;
  token_id: string | null;
  mode: Generated<SendingMode>;
  /** 0: incident, maintenance, postmortem; 1: confirmation (db/migrations/0008_delivery_priority.ts). */
  priority: GeneratedAlways<number>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  lease_until: Timestamp | null;
  batch_key: string | null;
  resend_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  sent_at: Timestamp | null;
}

export interface SendRateTable {
  name: string;
  next_at: Generated<Date>;
}

export interface MailSettingsTable {
  singleton: Generated<boolean>;
  token_secret: string;
  mode: Generated<"attach" | "batch" | "auto">;
  target_seconds: Generated<number>;
}

export interface OutboxEmailTable {
  id: string;
  idempotency_key: string | null;
  sender: string;
  recipient: string;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Json<Record<string, string>>;
  attachments: Json<{ filename: string; content: string }[]>;
  created_at: CreatedAt;
}

export type SubscriberRow = Selectable<SubscriberTable>;
export type MetricRow = Selectable<MetricTable>;
export type DeliveryRow = Selectable<DeliveryTable>;

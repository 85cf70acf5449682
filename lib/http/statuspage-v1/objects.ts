/*
 * Statuspage's v1 objects as its OpenAPI document lists them, field for
 * field (strict: a missing or extra key fails). The tests hold every answer
 * to them, and Candor's OpenAPI document describes the answers with them.
 */
import { z } from "zod";

// ISO 8601 with milliseconds and the page's offset.
const time = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
const nullable = <T extends z.ZodType>(t: T) => t.nullable();
const status = z.enum(["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"]);

export const componentObject = z.strictObject({
  id: z.string(),
  page_id: z.string(),
  group_id: z.string().nullable(),
  created_at: time,
  updated_at: time,
  group: z.boolean(),
  name: z.string(),
  description: z.string().nullable(),
  position: z.number().int(),
  status,
  showcase: z.boolean(),
  only_show_if_degraded: z.boolean(),
  automation_email: z.string().nullable(),
  start_date: z.string().nullable(),
});

export const groupObject = z.strictObject({
  id: z.string(),
  page_id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  components: z.array(z.string()),
  position: z.number().int(),
  created_at: time,
  updated_at: time,
});

export const updateObject = z.strictObject({
  id: z.string(),
  incident_id: z.string(),
  status: z.string(),
  body: z.string(),
  created_at: time,
  updated_at: time,
  display_at: time,
  deliver_notifications: z.boolean(),
  affected_components: z.array(z.strictObject({ code: z.string(), name: z.string(), old_status: status, new_status: status })).nullable(),
  custom_tweet: z.null(),
  tweet_id: z.null(),
  twitter_updated_at: z.null(),
  wants_twitter_update: z.boolean(),
});

export const incidentObject = z.strictObject({
  id: z.string(),
  components: z.array(componentObject),
  created_at: time,
  impact: z.enum(["none", "minor", "major", "critical", "maintenance"]),
  impact_override: z.enum(["none", "minor", "major", "critical", "maintenance"]).nullable(),
  incident_updates: z.array(updateObject),
  metadata: z.record(z.string(), z.unknown()),
  monitoring_at: nullable(time),
  name: z.string(),
  page_id: z.string(),
  postmortem_body: z.string().nullable(),
  postmortem_body_last_updated_at: nullable(time),
  postmortem_ignored: z.boolean(),
  postmortem_notified_subscribers: z.boolean(),
  postmortem_notified_twitter: z.boolean(),
  postmortem_published_at: nullable(time),
  resolved_at: nullable(time),
  scheduled_auto_completed: z.boolean(),
  scheduled_auto_in_progress: z.boolean(),
  scheduled_for: nullable(time),
  auto_transition_deliver_notifications_at_end: z.boolean(),
  auto_transition_deliver_notifications_at_start: z.boolean(),
  auto_transition_to_maintenance_state: z.boolean(),
  auto_transition_to_operational_state: z.boolean(),
  scheduled_remind_prior: z.boolean(),
  scheduled_reminded_at: nullable(time),
  scheduled_until: nullable(time),
  shortlink: z.string(),
  started_at: time,
  status: z.string(),
  updated_at: time,
  reminder_intervals: z.null(),
});

// Every field of the reference's Page, nothing else.
export const pageObject = z.strictObject({
  id: z.string(),
  created_at: time,
  updated_at: time,
  name: z.string(),
  page_description: z.string().nullable(),
  headline: z.string().nullable(),
  branding: z.string(),
  subdomain: z.string().nullable(),
  domain: z.string().nullable(),
  url: z.string(),
  support_url: z.string().nullable(),
  hidden_from_search: z.boolean(),
  allow_page_subscribers: z.boolean(),
  allow_incident_subscribers: z.boolean(),
  allow_email_subscribers: z.boolean(),
  allow_sms_subscribers: z.boolean(),
  allow_rss_atom_feeds: z.boolean(),
  allow_webhook_subscribers: z.boolean(),
  notifications_from_email: z.string().nullable(),
  notifications_email_footer: z.string().nullable(),
  activity_score: z.number(),
  twitter_username: z.string().nullable(),
  viewers_must_be_team_members: z.boolean(),
  ip_restrictions: z.string().nullable(),
  city: z.string().nullable(),
  state: z.string().nullable(),
  country: z.string().nullable(),
  time_zone: z.string(),
  css_body_background_color: z.string().nullable(),
  css_font_color: z.string().nullable(),
  css_light_font_color: z.string().nullable(),
  css_greens: z.string().nullable(),
  css_yellows: z.string().nullable(),
  css_oranges: z.string().nullable(),
  css_blues: z.string().nullable(),
  css_reds: z.string().nullable(),
  css_border_color: z.string().nullable(),
  css_graph_color: z.string().nullable(),
  css_link_color: z.string().nullable(),
  css_no_data: z.string().nullable(),
  favicon_logo: z.string().nullable(),
  transactional_logo: z.string().nullable(),
  hero_cover: z.string().nullable(),
  email_logo: z.string().nullable(),
  twitter_logo: z.string().nullable(),
});

export const errorBody = z.strictObject({ error: z.string(), message: z.string() }).meta({ description: "The same text in both keys: Statuspage's clients read either." });

export const postmortemObject = z.strictObject({
  preview_key: z.string().nullable(),
  body: z.string().nullable(),
  body_updated_at: nullable(time),
  body_draft: z.string().nullable(),
  body_draft_updated_at: nullable(time),
  published_at: nullable(time),
  notify_subscribers: z.boolean(),
  notify_twitter: z.boolean(),
  custom_tweet: z.string().nullable(),
  created_at: nullable(time),
  updated_at: nullable(time),
});

export const templateObject = z.strictObject({
  id: z.string(),
  components: z.array(componentObject),
  name: z.string(),
  title: z.string(),
  body: z.string(),
  group_id: z.string().nullable(),
  update_status: z.string(),
  should_tweet: z.boolean(),
  should_send_notifications: z.boolean(),
});

export const subscriberObject = z.strictObject({
  id: z.string(),
  skip_confirmation_notification: z.boolean(),
  mode: z.enum(["email", "sms", "webhook", "slack", "teams", "integration_partner"]),
  email: z.string().nullable(),
  endpoint: z.string().nullable(),
  phone_number: z.string().nullable(),
  phone_country: z.string().nullable(),
  display_phone_number: z.string().nullable(),
  obfuscated_channel_name: z.string().nullable(),
  workspace_name: z.string().nullable(),
  quarantined_at: nullable(time),
  purge_at: nullable(time),
  components: z.array(z.string()),
  page_access_user_id: z.string().nullable(),
  created_at: time,
});

export const uptimeObject = z.strictObject({
  range_start: time,
  range_end: time,
  uptime_percentage: z.number().nullable(),
  major_outage: z.number().int(),
  partial_outage: z.number().int(),
  warnings: z.string().nullable(),
  id: z.string(),
  name: z.string(),
  related_events: z.array(z.strictObject({ id: z.string() })),
});

import type { Impact } from "#db/schema.ts";
import { pageUrl } from "#lib/core/page-url.ts";
import { rfc3339 } from "#lib/core/time.ts";
import type { TimelineUpdate } from "#lib/core/timeline.ts";
import {
  serializeComponent,
  serializeGroup,
  serializeIncident,
  serializeUpdate,
  type PublicComponent,
  type PublicGroup,
  type PublicPage,
  type Snapshot,
  type Timeline,
} from "#lib/public/statuspage-v2.ts";

/*
 * Statuspage's v1 management objects, field for field as its OpenAPI
 * document lists them. Each is /api/v2's object of the same thing plus the
 * fields only v1 has; those Candor has no concept of carry neutral values.
 */

/** Page fields Candor keeps, beyond /api/v2's: the settings row's own times and support link. */
export interface PageExtras {
  created_at: Date;
  support_url: string | null;
}

export function presentPage(page: PublicPage, extras: PageExtras) {
  const zone = page.time_zone;
  return {
    id: page.id,
    created_at: rfc3339(extras.created_at, zone),
    updated_at: rfc3339(page.updated_at, zone),
    name: page.name,
    page_description: null,
    headline: null,
    branding: "basic",
    subdomain: null,
    domain: null,
    url: pageUrl(page.url),
    support_url: extras.support_url,
    hidden_from_search: false,
    allow_page_subscribers: true,
    allow_incident_subscribers: true,
    allow_email_subscribers: true,
    allow_sms_subscribers: false,
    allow_rss_atom_feeds: true,
    allow_webhook_subscribers: true,
    notifications_from_email: null,
    notifications_email_footer: null,
    activity_score: 0,
    twitter_username: null,
    viewers_must_be_team_members: false,
    ip_restrictions: null,
    city: null,
    state: null,
    country: null,
    time_zone: zone,
    css_body_background_color: null,
    css_font_color: null,
    css_light_font_color: null,
    css_greens: null,
    css_yellows: null,
    css_oranges: null,
    css_blues: null,
    css_reds: null,
    css_border_color: null,
    css_graph_color: null,
    css_link_color: null,
    css_no_data: null,
    favicon_logo: null,
    transactional_logo: null,
    hero_cover: null,
    email_logo: null,
    twitter_logo: null,
  };
}

export function presentComponent(c: PublicComponent, page: PublicPage) {
  return { ...serializeComponent(c, page), automation_email: null };
}

/** A component group as v1 lists it: its own object, not the v2 component row with `group: true`. */
export function presentGroup(g: PublicGroup, children: PublicComponent[], page: PublicPage) {
  const row = serializeGroup(g, children, page);
  return {
    id: row.id,
    page_id: row.page_id,
    name: row.name,
    description: row.description,
    components: row.components,
    position: row.position,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function presentUpdate(u: TimelineUpdate, page: PublicPage) {
  return { ...serializeUpdate(u, page), twitter_updated_at: null, wants_twitter_update: false };
}

/** What v1 reports that /api/v2's timeline does not carry: scheduling settings, the impact override, metadata. */
export interface Scheduling {
  scheduled_auto_transition: boolean;
  scheduled_remind_prior: boolean;
  impact_override: Impact | null;
  metadata: Record<string, Record<string, unknown>>;
  postmortem_draft_updated_at: Date | null;
}

export function presentIncident(t: Timeline, s: Pick<Snapshot, "page" | "components">, scheduling: Scheduling) {
  const zone = s.page.time_zone;
  const at = (date: Date | null) => (date ? rfc3339(date, zone) : null);
  const auto = t.kind === "maintenance" && scheduling.scheduled_auto_transition;
  return {
    ...serializeIncident(t, s),
    incident_updates: t.updates.map((u) => presentUpdate(u, s.page)),
    components: t.componentIds.flatMap((id) => {
      const c = s.components.find((x) => x.id === id);
      return c ? [presentComponent(c, s.page)] : [];
    }),
    impact_override: scheduling.impact_override,
    metadata: scheduling.metadata,
    postmortem_body: t.postmortem_body,
    postmortem_body_last_updated_at: at(scheduling.postmortem_draft_updated_at ?? t.postmortem_published_at),
    postmortem_ignored: false,
    postmortem_notified_subscribers: false,
    postmortem_notified_twitter: false,
    postmortem_published_at: at(t.postmortem_published_at),
    scheduled_for: at(t.scheduled_for),
    scheduled_until: at(t.scheduled_until),
    scheduled_auto_in_progress: auto,
    scheduled_auto_completed: auto,
    scheduled_remind_prior: t.kind === "maintenance" && scheduling.scheduled_remind_prior,
    scheduled_reminded_at: null,
    // Candor's clock moves the components and tells subscribers whenever it moves a maintenance.
    auto_transition_to_maintenance_state: auto,
    auto_transition_to_operational_state: auto,
    auto_transition_deliver_notifications_at_start: auto,
    auto_transition_deliver_notifications_at_end: auto,
  };
}

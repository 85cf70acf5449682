/*
 * Hand-built snapshots (what lib/public/statuspage-v2.ts's query returns) for the pure
 * serializer and feed tests: every edge case without a database.
 */
import type { ComponentGroupRow, ComponentStatus, Page, UpdateStatus } from "#db/schema.ts";
import type { ComponentWithStatus } from "#lib/domain/components.ts";
import { publicId } from "#lib/core/ids.ts";
import { LOCALES } from "#lib/core/locales.ts";
import { DEFAULT_TARGETS } from "#lib/core/milestones.ts";
import type { ComponentChange, TimelineUpdate } from "#lib/core/timeline.ts";
import type { Snapshot, Timeline } from "#lib/public/statuspage-v2.ts";

export function page(overrides: Partial<Page> = {}): Page {
  return {
    id: "pagepagepage",
    singleton: true,
    name: "Acme",
    url: "https://status.acme.test",
    time_zone: "Etc/UTC",
    support_url: null,
    logo_url: null,
    sender_email: null,
    cadence_minutes: { "SEV-1": 15, "SEV-2": 30, "SEV-3": 60, "SEV-4": null },
    reports_enabled: false,
    reports_challenge: false,
    targets: DEFAULT_TARGETS,
    default_locale: "en",
    locales: [...LOCALES],
    created_at: new Date("2025-01-01T00:00:00Z"),
    updated_at: new Date("2025-01-01T00:00:00Z"),
    ...overrides,
  };
}

export function component(overrides: Partial<ComponentWithStatus> & { status?: ComponentStatus } = {}): ComponentWithStatus {
  return {
    id: publicId(),
    group_id: null,
    name: "API",
    description: null,
    position: 1,
    showcase: true,
    only_show_if_degraded: false,
    start_date: null,
    created_at: new Date("2025-01-02T00:00:00Z"),
    updated_at: new Date("2025-01-02T00:00:00Z"),
    archived_at: null,
    status: "operational",
    ...overrides,
  };
}

export function group(overrides: Partial<ComponentGroupRow> = {}): ComponentGroupRow {
  return {
    id: publicId(),
    name: "Platform",
    description: null,
    position: 1,
    created_at: new Date("2025-01-02T00:00:00Z"),
    updated_at: new Date("2025-01-02T00:00:00Z"),
    archived_at: null,
    ...overrides,
  };
}

export function update(
  incidentId: string,
  status: UpdateStatus,
  at: string,
  body = `The ${status} update.`,
  changes: ComponentChange[] = [],
): TimelineUpdate {
  const date = new Date(at);
  return {
    id: publicId(),
    incident_id: incidentId,
    status,
    body,
    display_at: date,
    created_at: date,
    updated_at: date,
    notify: true,
    changes,
  };
}

/** An incident whose updates are given oldest first (as they happen) and stored newest first. */
export function incident(
  overrides: Partial<Timeline> & { steps?: [UpdateStatus, string, string?, ComponentChange[]?][] } = {},
): Timeline {
  const id = overrides.id ?? publicId();
  const steps = overrides.steps ?? [["investigating", "2025-03-01T10:00:00Z"]];
  const updates = steps.map(([status, at, body, changes]) => update(id, status, at, body, changes)).reverse();
  const latest = updates[0];
  const first = updates[updates.length - 1];
  const resolved = latest.status === "resolved" || latest.status === "completed" || latest.status === "postmortem";
  const { steps: _steps, ...rest } = overrides;
  return {
    id,
    kind: "incident",
    name: "Elevated error rates",
    status: latest.status,
    impact: "minor",
    started_at: first.display_at,
    created_at: first.display_at,
    updated_at: latest.display_at,
    monitoring_at: null,
    resolved_at: resolved ? latest.display_at : null,
    scheduled_for: null,
    scheduled_until: null,
    cancelled_at: null,
    sequence: 0,
    postmortem_body: null,
    postmortem_published_at: null,
    updates,
    componentIds: [],
    ...rest,
  };
}

export function maintenance(overrides: Partial<Timeline> & { steps?: [UpdateStatus, string, string?, ComponentChange[]?][] } = {}): Timeline {
  return incident({
    kind: "maintenance",
    name: "Database upgrade",
    impact: "maintenance",
    scheduled_for: new Date("2025-03-10T01:00:00Z"),
    scheduled_until: new Date("2025-03-10T03:00:00Z"),
    steps: [["scheduled", "2025-03-01T09:00:00Z"]],
    ...overrides,
  });
}

export function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return { page: page(), components: [], groups: [], incidents: [], maintenances: [], ...overrides };
}

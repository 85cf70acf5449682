import type { ComponentStatus, Impact, IncidentStatus, MaintenanceStatus, Severity, UpdateStatus } from "#db/schema.ts";

/*
 * One place for what each status means: label, colour, icon, order and
 * public wording. The banner, uptime bars, emails, feeds and API read these.
 */
export const COMPONENT_STATUSES = [
  "operational",
  "degraded_performance",
  "partial_outage",
  "major_outage",
  "under_maintenance",
] as const satisfies readonly ComponentStatus[];

export const componentStatusMeta: Record<
  ComponentStatus,
  { label: string; color: string; icon: string; rank: number }
> = {
  // rank: worse is higher; maintenance is "second worst" for group rollup (Statuspage semantics).
  operational: { label: "Operational", color: "#15803d", icon: "✓", rank: 0 },
  degraded_performance: { label: "Degraded performance", color: "#a16207", icon: "!", rank: 1 },
  partial_outage: { label: "Partial outage", color: "#c2410c", icon: "▲", rank: 2 },
  under_maintenance: { label: "Under maintenance", color: "#1d4ed8", icon: "⚙", rank: 3 },
  major_outage: { label: "Major outage", color: "#b91c1c", icon: "✕", rank: 4 },
};

/** An incident still being worked on: shown on the page, unresolved in /api/v2. */
export const OPEN_INCIDENT_STATUSES = ["investigating", "identified", "monitoring"] as const satisfies readonly IncidentStatus[];
export const CLOSED_INCIDENT_STATUSES = ["resolved", "postmortem"] as const satisfies readonly IncidentStatus[];
export const INCIDENT_STATUSES = [...OPEN_INCIDENT_STATUSES, ...CLOSED_INCIDENT_STATUSES] as const;
/** The statuses an update may give an incident; postmortem comes from publishing one. */
export const INCIDENT_UPDATE_STATUSES = [...OPEN_INCIDENT_STATUSES, "resolved"] as const satisfies readonly IncidentStatus[];

/** Maintenance announced but not begun. */
export const UPCOMING_MAINTENANCE_STATUSES = ["scheduled"] as const satisfies readonly MaintenanceStatus[];
/** Maintenance under way. */
export const ACTIVE_MAINTENANCE_STATUSES = ["in_progress", "verifying"] as const satisfies readonly MaintenanceStatus[];
export const OPEN_MAINTENANCE_STATUSES = [...UPCOMING_MAINTENANCE_STATUSES, ...ACTIVE_MAINTENANCE_STATUSES] as const;
export const CLOSED_MAINTENANCE_STATUSES = ["completed"] as const satisfies readonly MaintenanceStatus[];
export const MAINTENANCE_STATUSES = [...OPEN_MAINTENANCE_STATUSES, ...CLOSED_MAINTENANCE_STATUSES] as const;
/** Where an update moves announced maintenance (advanceMaintenance). */
export const MAINTENANCE_ADVANCE_STATUSES = [...ACTIVE_MAINTENANCE_STATUSES, ...CLOSED_MAINTENANCE_STATUSES] as const;

export const UPDATE_STATUSES = [...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES] as const;
const OPEN_STATUSES: ReadonlySet<UpdateStatus> = new Set([...OPEN_INCIDENT_STATUSES, ...OPEN_MAINTENANCE_STATUSES]);

export const updateStatusMeta: Record<UpdateStatus, { label: string; color: string }> = {
  investigating: { label: "Investigating", color: "#b91c1c" },
  identified: { label: "Identified", color: "#c2410c" },
  monitoring: { label: "Monitoring", color: "#1d4ed8" },
  resolved: { label: "Resolved", color: "#15803d" },
  postmortem: { label: "Postmortem", color: "#6b21a8" },
  scheduled: { label: "Scheduled", color: "#1d4ed8" },
  in_progress: { label: "In progress", color: "#1d4ed8" },
  verifying: { label: "Verifying", color: "#1d4ed8" },
  completed: { label: "Completed", color: "#15803d" },
};

export const IMPACTS = ["none", "minor", "major", "critical"] as const satisfies readonly Impact[];

export const impactMeta: Record<Impact, { label: string; color: string; rank: number }> = {
  none: { label: "None", color: "#374151", rank: 0 },
  maintenance: { label: "Maintenance", color: "#1d4ed8", rank: 0 },
  minor: { label: "Minor", color: "#a16207", rank: 1 },
  major: { label: "Major", color: "#c2410c", rank: 2 },
  critical: { label: "Critical", color: "#b91c1c", rank: 3 },
};

export const SEVERITIES = ["SEV-1", "SEV-2", "SEV-3", "SEV-4"] as const satisfies readonly Severity[];

/** Internal severity → public impact and the default update cadence (minutes; null = no promise). */
export const severityMeta: Record<Severity, { impact: Impact; cadenceMinutes: number | null; label: string }> = {
  "SEV-1": { impact: "critical", cadenceMinutes: 15, label: "SEV-1 · critical" },
  "SEV-2": { impact: "major", cadenceMinutes: 30, label: "SEV-2 · major" },
  "SEV-3": { impact: "minor", cadenceMinutes: 60, label: "SEV-3 · minor" },
  "SEV-4": { impact: "none", cadenceMinutes: null, label: "SEV-4 · none" },
};

/** The severity an impact stands for when only the impact is known (Statuspage's API sets impacts, not severities). */
export function severityForImpact(impact: Exclude<Impact, "maintenance">): Severity {
  return SEVERITIES.find((s) => severityMeta[s].impact === impact)!;
}

/** Statuspage's automatic impact: the worst affected component's status decides. */
export function impactOfComponentStatuses(statuses: readonly ComponentStatus[]): Exclude<Impact, "maintenance"> {
  const worst = worstComponentStatus(statuses.filter((s) => s !== "under_maintenance"));
  return ({ major_outage: "critical", partial_outage: "major", degraded_performance: "minor" } as const)[worst as string] ?? "none";
}

/** Open: an incident still being worked on, maintenance not yet completed. */
export function isOpenStatus(status: UpdateStatus): boolean {
  return OPEN_STATUSES.has(status);
}

/** Worst status of a group's children (maintenance counts second worst). */
export function worstComponentStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  let worst: ComponentStatus = "operational";
  for (const s of statuses) if (componentStatusMeta[s].rank > componentStatusMeta[worst].rank) worst = s;
  return worst;
}

export type Indicator = "none" | "minor" | "major" | "critical" | "maintenance";
export type OverallDescription =
  | "All Systems Operational"
  | "Major System Outage"
  | "Partial System Outage"
  | "Minor Service Outage"
  | "Degraded System Service"
  | "Partially Degraded Service"
  | "Service Under Maintenance";

export const indicatorMeta: Record<Indicator, { color: string; icon: string }> = {
  none: { color: "#15803d", icon: "✓" },
  minor: { color: "#a16207", icon: "!" },
  major: { color: "#c2410c", icon: "▲" },
  critical: { color: "#b91c1c", icon: "✕" },
  maintenance: { color: "#1d4ed8", icon: "⚙" },
};

/*
 * The page's overall status with Statuspage's semantics (docs/machine-endpoints.md, "Overall status"),
 * shared by the HTML banner, status.json and the feeds.
 * Evaluated over non-group components. With no components the highest impact
 * of unresolved incidents decides; with components, components alone decide.
 */
export function overallStatus(
  statuses: readonly ComponentStatus[],
  unresolvedImpacts: readonly Impact[] = [],
): { indicator: Indicator; description: OverallDescription } {
  if (statuses.length === 0) {
    const worst = unresolvedImpacts.reduce<Impact>(
      (acc, i) => (impactMeta[i].rank > impactMeta[acc].rank ? i : acc),
      "none",
    );
    if (worst === "critical") return { indicator: "critical", description: "Major System Outage" };
    if (worst === "major") return { indicator: "major", description: "Partial System Outage" };
    if (worst === "minor") return { indicator: "minor", description: "Minor Service Outage" };
    return { indicator: "none", description: "All Systems Operational" };
  }
  if (statuses.length === 1) {
    const only = statuses[0];
    switch (only) {
      case "operational":
        return { indicator: "none", description: "All Systems Operational" };
      case "under_maintenance":
        return { indicator: "maintenance", description: "Service Under Maintenance" };
      case "degraded_performance":
        return { indicator: "minor", description: "Partially Degraded Service" };
      case "partial_outage":
        return { indicator: "major", description: "Partial System Outage" };
      case "major_outage":
        return { indicator: "critical", description: "Major System Outage" };
    }
  }
  const all = (s: ComponentStatus) => statuses.every((x) => x === s);
  const any = (s: ComponentStatus) => statuses.some((x) => x === s);
  if (all("major_outage")) return { indicator: "critical", description: "Major System Outage" };
  if (any("major_outage") || all("partial_outage")) return { indicator: "major", description: "Partial System Outage" };
  if (any("partial_outage")) return { indicator: "minor", description: "Minor Service Outage" };
  if (all("degraded_performance")) return { indicator: "minor", description: "Degraded System Service" };
  if (any("degraded_performance")) return { indicator: "minor", description: "Partially Degraded Service" };
  if (any("under_maintenance")) return { indicator: "maintenance", description: "Service Under Maintenance" };
  return { indicator: "none", description: "All Systems Operational" };
}

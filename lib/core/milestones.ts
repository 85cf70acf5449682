import type { Impact, Severity, SeverityTargets } from "#db/schema.ts";
import { invalidInput, type FieldIssue } from "./errors.ts";
import { SEVERITIES } from "./statuses.ts";

/*
 * An incident's milestones and whether its targets were kept (pure; the
 * formulas are documented in docs/measures.md).
 *
 * Most milestones are what Candor saw happen: declared (the incident's
 * created_at), the first public update (the first update written), identified,
 * mitigated (monitoring; an incident resolved without monitoring is mitigated
 * when resolved), resolved (the last resolution: reopening clears it) and the
 * postmortem's publication. Started, detected and acknowledged are given by
 * people; detected and acknowledged default to the declaration, because
 * declaring is the latest moment the team knew and acted.
 */

/** What the measures need of one incident (lib/domain/measures.ts loads it). */
export interface IncidentFacts {
  id: string;
  reference: string;
  name: string;
  severity: Severity;
  impact: Impact;
  startedAt: Date;
  detectedAt: Date | null;
  acknowledgedAt: Date | null;
  /** created_at: when it was declared (backdated declarations keep their display time). */
  declaredAt: Date;
  /** created_at of the first update: when the public could first read about it. */
  firstUpdateAt: Date | null;
  identifiedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  postmortemPublishedAt: Date | null;
  /** Written up after the fact: its response times (acknowledge, first update, promises) are not measured. */
  backfilled: boolean;
  componentIds: readonly string[];
  /** Each update in the order written: when, and the next update it promised. */
  updates: readonly { writtenAt: Date; nextDueAt: Date | null }[];
}

export interface Milestones {
  started: Date;
  detected: Date;
  acknowledged: Date;
  declared: Date;
  firstPublicUpdate: Date | null;
  identified: Date | null;
  mitigated: Date | null;
  resolved: Date | null;
  postmortemPublished: Date | null;
}

export const MILESTONE_LABELS: Record<keyof Milestones, string> = {
  started: "Impact began",
  detected: "Detected",
  acknowledged: "Acknowledged",
  declared: "Declared",
  firstPublicUpdate: "First public update",
  identified: "Identified",
  mitigated: "Mitigated",
  resolved: "Resolved",
  postmortemPublished: "Postmortem published",
};

export function milestones(i: IncidentFacts): Milestones {
  const detected = i.detectedAt ?? earliest(i.declaredAt, i.acknowledgedAt);
  return {
    started: i.startedAt,
    detected,
    acknowledged: i.acknowledgedAt ?? (i.declaredAt < detected ? detected : i.declaredAt),
    declared: i.declaredAt,
    firstPublicUpdate: i.firstUpdateAt,
    identified: i.identifiedAt,
    mitigated: i.mitigatedAt ?? i.resolvedAt,
    resolved: i.resolvedAt,
    postmortemPublished: i.postmortemPublishedAt,
  };
}

function earliest(a: Date, b: Date | null): Date {
  return b && b < a ? b : a;
}

/** Started ≤ detected ≤ acknowledged, none in the future; each issue names its field. */
export function checkMilestoneOrder(m: { startedAt: Date; detectedAt: Date | null; acknowledgedAt: Date | null }, now: Date): void {
  const issues: FieldIssue[] = [];
  const latest = now.getTime() + 60_000;
  if (m.startedAt.getTime() > latest) issues.push({ field: "startedAt", message: "must not be in the future" });
  if (m.detectedAt && m.detectedAt < m.startedAt) issues.push({ field: "detectedAt", message: "must not be before the incident started" });
  if (m.detectedAt && m.detectedAt.getTime() > latest) issues.push({ field: "detectedAt", message: "must not be in the future" });
  if (m.acknowledgedAt && m.acknowledgedAt < (m.detectedAt ?? m.startedAt)) {
    issues.push({ field: "acknowledgedAt", message: m.detectedAt ? "must not be before detection" : "must not be before the incident started" });
  }
  if (m.acknowledgedAt && m.acknowledgedAt.getTime() > latest) issues.push({ field: "acknowledgedAt", message: "must not be in the future" });
  if (issues.length) throw invalidInput(issues);
}

/** Minutes between two instants, never negative (hand-entered times may disagree by seconds). */
export function minutesBetween(from: Date, to: Date): number {
  return Math.max(0, (to.getTime() - from.getTime()) / 60_000);
}

export type TargetKind = keyof SeverityTargets;
export const TARGET_KINDS = ["acknowledge", "firstUpdate", "resolve", "postmortem"] as const satisfies readonly TargetKind[];

export const TARGET_LABELS: Record<TargetKind, string> = {
  acknowledge: "First response",
  firstUpdate: "First public update",
  resolve: "Resolution",
  postmortem: "Postmortem",
};

/** How the settings form asks for each target: resolution and postmortem in hours, the rest in minutes. */
export const TARGET_UNITS: Record<TargetKind, { unit: "minutes" | "hours"; minutes: number }> = {
  acknowledge: { unit: "minutes", minutes: 1 },
  firstUpdate: { unit: "minutes", minutes: 1 },
  resolve: { unit: "hours", minutes: 60 },
  postmortem: { unit: "hours", minutes: 60 },
};

/** The runbooks' table (docs/measures.md); the page's settings start from it. */
export const DEFAULT_TARGETS: Record<Severity, SeverityTargets> = {
  "SEV-1": { acknowledge: 5, firstUpdate: 30, resolve: 60, postmortem: 1440 },
  "SEV-2": { acknowledge: 15, firstUpdate: 30, resolve: 240, postmortem: 1440 },
  "SEV-3": { acknowledge: 60, firstUpdate: 60, resolve: 1440, postmortem: 7200 },
  "SEV-4": { acknowledge: 240, firstUpdate: null, resolve: 4320, postmortem: null },
};

/** A page's targets with the defaults filling any severity or target it lacks. */
export function targetsFor(configured: Partial<Record<Severity, Partial<SeverityTargets>>> | null | undefined): Record<Severity, SeverityTargets> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, { ...DEFAULT_TARGETS[s], ...configured?.[s] }])) as Record<Severity, SeverityTargets>;
}

/*
 * Each target counts from one milestone to another: response targets from
 * detection (the runbooks' MTTA/MTTR start at the alert), the postmortem
 * from resolution.
 */
const TARGET_SPANS: Record<TargetKind, { from: keyof Milestones; to: keyof Milestones }> = {
  acknowledge: { from: "detected", to: "acknowledged" },
  firstUpdate: { from: "detected", to: "firstPublicUpdate" },
  resolve: { from: "detected", to: "resolved" },
  postmortem: { from: "resolved", to: "postmortemPublished" },
};

export type TargetState = "met" | "missed" | "due_soon" | "pending" | "not_measured";

export interface TargetCheck {
  kind: TargetKind;
  /** Minutes promised; null: no target for this severity. */
  target: number | null;
  dueAt: Date | null;
  /** Minutes taken, once reached. */
  took: number | null;
  state: TargetState;
}

export const TARGET_STATE_META: Record<TargetState, { label: string; color: string }> = {
  met: { label: "met", color: "#15803d" },
  missed: { label: "missed", color: "#b91c1c" },
  due_soon: { label: "due soon", color: "#a16207" },
  pending: { label: "pending", color: "#374151" },
  not_measured: { label: "not measured", color: "#374151" },
};

/** Within this share of the target's time left, a pending target is "due soon". */
export const DUE_SOON_SHARE = 0.25;

/**
 * Each target of one incident as of `now`: met or missed once its milestone
 * is reached (or its due time passed), due soon in the last quarter of its
 * time, pending before. A backfilled incident's response targets are not
 * measured; a target without a value is not measured.
 */
export function checkTargets(i: IncidentFacts, targets: SeverityTargets, now: Date): TargetCheck[] {
  const m = milestones(i);
  return TARGET_KINDS.map((kind) => {
    const target = targets[kind];
    const { from, to } = TARGET_SPANS[kind];
    const start = m[from];
    const reached = m[to];
    if (target === null || (i.backfilled && kind !== "postmortem" && kind !== "resolve")) {
      return { kind, target, dueAt: null, took: null, state: "not_measured" as const };
    }
    if (!start) return { kind, target, dueAt: null, took: null, state: "pending" as const };
    const dueAt = new Date(start.getTime() + target * 60_000);
    if (reached) {
      const took = minutesBetween(start, reached);
      return { kind, target, dueAt, took, state: took <= target ? ("met" as const) : ("missed" as const) };
    }
    const left = dueAt.getTime() - now.getTime();
    const state = left < 0 ? "missed" : left <= target * 60_000 * DUE_SOON_SHARE ? "due_soon" : "pending";
    return { kind, target, dueAt, took: null, state };
  });
}

export interface PromiseTally {
  kept: number;
  missed: number;
}

/**
 * The "next update by …" promises one incident's updates made, judged as of
 * `now`: kept when a later update was written by the promised time, missed
 * when none was and the time has passed; a promise still running counts
 * neither way. `within` limits it to promises falling due in a period.
 */
export function tallyPromises(i: IncidentFacts, now: Date, within?: { from: Date; to: Date }): PromiseTally {
  const tally = { kept: 0, missed: 0 };
  if (i.backfilled) return tally;
  const written = i.updates.map((u) => u.writtenAt.getTime()).sort((a, b) => a - b);
  for (const u of i.updates) {
    if (!u.nextDueAt) continue;
    const due = u.nextDueAt.getTime();
    if (within && (due < within.from.getTime() || due >= within.to.getTime())) continue;
    const made = u.writtenAt.getTime();
    const next = written.find((t) => t > made);
    if (next !== undefined && next <= due) tally.kept++;
    else if (due < now.getTime()) tally.missed++;
  }
  return tally;
}

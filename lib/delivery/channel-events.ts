import type { Db } from "#db/client.ts";
import type { ComponentStatus, DeliveryKind } from "#db/schema.ts";
import { incidentUrl, pageUrl } from "#lib/core/page-url.ts";
import type { TimelineUpdate } from "#lib/core/timeline.ts";
import { confirmUrl, linkToken, tokenSecret } from "#lib/domain/subscribers/links.ts";
import { loadIncident, loadSnapshot, statusOf, type PublicComponent, type Snapshot, type Timeline } from "#lib/public/statuspage-v2.ts";

/*
 * What a channel message is about, loaded once per event (not per
 * subscriber): the page's snapshot (as /api/v2 serves it), and the incident
 * with the update being announced, or the component and its change.
 */
export type ChannelEventType = "incident.update" | "maintenance.update" | "incident.postmortem" | "component.update" | "test" | "verification";

export interface ChannelEventData {
  type: ChannelEventType;
  occurredAt: Date;
  snapshot: Snapshot;
  pageUrl: string;
  indicator: ReturnType<typeof statusOf>;
  incident?: Timeline;
  /** The update announced (not necessarily the latest, when backfilled). */
  update?: TimelineUpdate;
  /** The public link of the incident, the page for a component change or a test, the confirm link for a verification. */
  link: string;
  component?: PublicComponent;
  change?: { id: string; oldStatus: ComponentStatus; newStatus: ComponentStatus; at: Date; createdAt: Date };
}

const TYPES: Record<Exclude<DeliveryKind, "confirmation" | "component">, ChannelEventType> = {
  incident: "incident.update",
  maintenance: "maintenance.update",
  postmortem: "incident.postmortem",
};

async function incidentEvent(db: Db, kind: keyof typeof TYPES, updateId: string): Promise<ChannelEventData> {
  const { incident_id, created_at } = await db
    .selectFrom("incident_updates")
    .select(["incident_id", "created_at"])
    .where("id", "=", updateId)
    .executeTakeFirstOrThrow();
  const snapshot = await loadSnapshot(db);
  const incident =
    [...snapshot.incidents, ...snapshot.maintenances].find((t) => t.id === incident_id) ??
    (await loadOne(db, incident_id, snapshot));
  return {
    type: TYPES[kind],
    occurredAt: created_at,
    snapshot,
    pageUrl: pageUrl(snapshot.page.url),
    indicator: statusOf(snapshot),
    incident,
    update: incident.updates.find((u) => u.id === updateId),
    link: incidentUrl(snapshot.page.url, incident.id),
  };
}

/* An old incident outside the snapshot's recent list. */
async function loadOne(db: Db, incidentId: string, snapshot: Snapshot): Promise<Timeline> {
  const found = await loadIncident(db, incidentId);
  if (!found) throw new Error(`incident ${incidentId} is gone`);
  return { ...found.incident, componentIds: found.incident.componentIds.filter((id) => snapshot.components.some((c) => c.id === id)) };
}

async function componentEvent(db: Db, changeId: string): Promise<ChannelEventData> {
  const change = await db
    .selectFrom("component_status_changes")
    .select(["id", "component_id", "status", "at", "created_at"])
    .where("id", "=", changeId)
    .executeTakeFirstOrThrow();
  const before = await db
    .selectFrom("component_status_changes")
    .select("status")
    .where("component_id", "=", change.component_id)
    .where((eb) => eb.or([eb("at", "<", change.at), eb.and([eb("at", "=", change.at), eb("id", "<", change.id)])]))
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  const snapshot = await loadSnapshot(db);
  const component = snapshot.components.find((c) => c.id === change.component_id);
  if (!component) throw new Error(`component ${change.component_id} is archived`);
  return {
    type: "component.update",
    occurredAt: change.created_at,
    snapshot,
    pageUrl: pageUrl(snapshot.page.url),
    indicator: statusOf(snapshot),
    link: pageUrl(snapshot.page.url),
    component,
    change: { id: String(change.id), oldStatus: before?.status ?? "operational", newStatus: change.status, at: change.at, createdAt: change.created_at },
  };
}

/** A "Send test" event: the page as it is, no incident. */
export async function testEvent(db: Db): Promise<ChannelEventData> {
  const snapshot = await loadSnapshot(db);
  const url = pageUrl(snapshot.page.url);
  return { type: "test", occurredAt: new Date(), snapshot, pageUrl: url, indicator: statusOf(snapshot), link: url };
}

/** The event of a claimed channel delivery, loaded once per event and reused for every subscriber of it. */
export class ChannelEvents {
  private readonly cache = new Map<string, Promise<ChannelEventData>>();
  private readonly db: Db;
  private secret: Promise<string> | null = null;
  constructor(db: Db) {
    this.db = db;
  }

  /** A public sign-up's verification request: the page as it is, and the confirm link of the delivery's token. */
  async verification(tokenId: string): Promise<ChannelEventData> {
    this.secret ??= tokenSecret(this.db);
    const [base, secret] = await Promise.all([this.cached("verification", () => testEvent(this.db)), this.secret]);
    return { ...base, type: "verification", occurredAt: new Date(), link: confirmUrl(base.pageUrl, linkToken(secret, tokenId)) };
  }

  private cached(key: string, load: () => Promise<ChannelEventData>): Promise<ChannelEventData> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = load();
      hit.catch(() => this.cache.delete(key));
      this.cache.set(key, hit);
      // Loaded again after a while, so a long fan-out does not keep a stale page status forever.
      setTimeout(() => this.cache.delete(key), 60_000).unref();
      if (this.cache.size > 100) this.cache.delete(this.cache.keys().next().value!);
    }
    return hit;
  }

  load(d: { kind: DeliveryKind; updateId: string | null; changeId: string | null }): Promise<ChannelEventData> {
    const key = d.kind === "component" ? `k:${d.changeId}` : `${d.kind}:${d.updateId}`;
    return this.cached(key, () =>
      d.kind === "component" ? componentEvent(this.db, d.changeId!) : incidentEvent(this.db, d.kind as keyof typeof TYPES, d.updateId!),
    );
  }
}

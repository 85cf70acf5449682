import type { Db } from "#db/client.ts";
import type { ComponentStatus, Severity } from "#db/schema.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { addMetricPoints, createMetric, POINTS_PER_REQUEST } from "#lib/domain/metrics.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { ensureDefaultTemplates } from "#lib/domain/templates.ts";

/*
 * Realistic demo data through the same write functions the admin uses:
 * 10 components in 3 groups, ~90 days of incidents of different impacts and
 * lengths, one active incident, maintenance past and upcoming, a postmortem.
 * Deterministic (seeded random) so screenshots and tests are stable in shape.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function random(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 2 ** 32;
    return seed / 2 ** 32;
  };
}

const GROUPS: { name: string; description: string; components: string[] }[] = [
  { name: "Platform", description: "The API and the dashboard", components: ["API", "Dashboard", "Webhooks"] },
  { name: "Data", description: "Storage and search", components: ["Database", "Search", "File storage"] },
  {
    name: "Notifications",
    description: "Messages we send on your behalf",
    components: ["Email delivery", "SMS", "Push notifications"],
  },
];

const PAST: { name: string; severity: Severity; component: string; status: ComponentStatus; minutes: number; cause: string }[] = [
  { name: "Elevated API error rates", severity: "SEV-2", component: "API", status: "partial_outage", minutes: 48, cause: "a bad deploy of the rate limiter" },
  { name: "Dashboard fails to load for some users", severity: "SEV-3", component: "Dashboard", status: "degraded_performance", minutes: 95, cause: "a CDN configuration change" },
  { name: "Webhook deliveries delayed", severity: "SEV-3", component: "Webhooks", status: "degraded_performance", minutes: 130, cause: "a backlog in the delivery queue" },
  { name: "Database failover", severity: "SEV-1", component: "Database", status: "major_outage", minutes: 22, cause: "a primary node hardware failure" },
  { name: "Search results incomplete", severity: "SEV-3", component: "Search", status: "degraded_performance", minutes: 240, cause: "an index rebuild that fell behind" },
  { name: "File uploads failing", severity: "SEV-2", component: "File storage", status: "partial_outage", minutes: 65, cause: "expired storage credentials" },
  { name: "Email delivery delays", severity: "SEV-3", component: "Email delivery", status: "degraded_performance", minutes: 180, cause: "throttling by a mail provider" },
  { name: "SMS not delivered in some regions", severity: "SEV-2", component: "SMS", status: "partial_outage", minutes: 310, cause: "a carrier outage" },
  { name: "Push notifications delayed", severity: "SEV-4", component: "Push notifications", status: "degraded_performance", minutes: 75, cause: "a certificate rotation" },
  { name: "Website unavailable", severity: "SEV-1", component: "Website", status: "major_outage", minutes: 14, cause: "a DNS misconfiguration" },
  { name: "Slow API responses", severity: "SEV-3", component: "API", status: "degraded_performance", minutes: 55, cause: "a noisy neighbour on shared hosts" },
  { name: "Login errors on the dashboard", severity: "SEV-2", component: "Dashboard", status: "partial_outage", minutes: 35, cause: "a session store eviction" },
  { name: "Search unavailable", severity: "SEV-1", component: "Search", status: "major_outage", minutes: 42, cause: "a cluster split-brain" },
  { name: "Webhook signature errors", severity: "SEV-3", component: "Webhooks", status: "partial_outage", minutes: 90, cause: "a clock skew on signing hosts" },
  { name: "Database read latency", severity: "SEV-3", component: "Database", status: "degraded_performance", minutes: 160, cause: "a long-running vacuum" },
];

/** Posts `updates` to one incident, in order (postUpdate checks each). */
async function postUpdates(db: Db, incidentId: string, updates: object[]) {
  for (const update of updates) await postUpdate(db, systemActor, { incidentId, ...update });
}

export async function seedDemo(db: Db, now = new Date()): Promise<{ seeded: boolean }> {
  const existing = await db.selectFrom("components").select("id").limit(1).executeTakeFirst();
  if (existing) return { seeded: false };
  const rand = random(42);
  const actor = systemActor;
  await ensureDefaultTemplates(db);
  const page = await getPage(db);
  await db
    .updateTable("page")
    .set({ name: "Acme Cloud", support_url: "https://example.com/support", updated_at: now })
    .where("id", "=", page.id)
    .execute();

  const created = new Date(now.getTime() - 120 * DAY);
  const ids = new Map<string, string>();
  for (const g of GROUPS) {
    const group = await createGroup(db, actor, { name: g.name, description: g.description });
    for (const name of g.components) {
      const c = await createComponent(db, actor, { name, groupId: group.id, createdAt: created });
      ids.set(name, c.id);
    }
  }
  const website = await createComponent(db, actor, {
    name: "Website",
    description: "The marketing site and documentation",
    createdAt: created,
  });
  ids.set("Website", website.id);

  // Past incidents spread over the last 88 days, oldest first.
  const spacing = (86 * DAY) / PAST.length;
  for (const [i, p] of PAST.entries()) {
    const start = new Date(now.getTime() - 88 * DAY + i * spacing + Math.floor(rand() * 20) * HOUR);
    const component = ids.get(p.component)!;
    const { incident } = await declareIncident(db, actor, {
      name: p.name,
      severity: p.severity,
      body: `We are investigating reports of problems with ${p.component}.`,
      components: [{ id: component, status: p.status }],
      startedAt: start,
    });
    // Identified, monitoring, resolved, each at its share of the incident's length.
    const at = (share: number) => new Date(start.getTime() + Math.round(p.minutes * share) * MINUTE);
    await postUpdates(db, incident.id, [
      {
        status: "identified",
        body: `The issue has been identified: ${p.cause}. A fix is being implemented.`,
        components: [{ id: component, status: p.status }],
        displayAt: at(0.25),
      },
      {
        status: "monitoring",
        body: "A fix has been implemented and we are monitoring the results.",
        components: [{ id: component, status: "operational" }],
        displayAt: at(0.6),
      },
      { status: "resolved", body: "This incident has been resolved.", components: [{ id: component, status: "operational" }], displayAt: at(1) },
    ]);
    if (p.name === "Database failover") {
      await publishPostmortem(db, actor, {
        incidentId: incident.id,
        body: [
          "## Summary",
          "The primary database node failed and the automatic failover took longer than designed.",
          "",
          "## Impact and duration",
          `All database-backed requests failed for ${p.minutes} minutes.`,
          "",
          "## Root cause",
          "A failing disk controller on the primary node; the replica's promotion waited for a timeout.",
          "",
          "## Resolution",
          "The replica was promoted manually and traffic recovered.",
          "",
          "## Action items",
          "- Shorten the failover timeout",
          "- Alert on disk controller errors",
        ].join("\n"),
      });
    }
  }

  // Completed maintenance, ten days ago.
  const mStart = new Date(now.getTime() - 10 * DAY - 3 * HOUR);
  const done = await scheduleMaintenance(db, actor, {
    name: "Database upgrade to PostgreSQL 17",
    body: "We will upgrade the primary database cluster. Brief read-only periods are expected.",
    components: [ids.get("Database")!],
    scheduledFor: mStart,
    scheduledUntil: new Date(mStart.getTime() + 2 * HOUR),
    announcedAt: new Date(mStart.getTime() - 5 * DAY),
    autoTransition: false,
  });
  await advanceMaintenance(db, actor, { incidentId: done.maintenance.id, status: "in_progress", at: mStart });
  await advanceMaintenance(db, actor, {
    incidentId: done.maintenance.id,
    status: "completed",
    at: new Date(mStart.getTime() + 95 * MINUTE),
  });

  // Upcoming maintenance, in three days.
  const next = new Date(Math.ceil((now.getTime() + 3 * DAY) / HOUR) * HOUR);
  await scheduleMaintenance(db, actor, {
    name: "Search cluster migration",
    body: "We are moving the search cluster to new hardware. Search may return partial results during the window.",
    components: [ids.get("Search")!],
    scheduledFor: next,
    scheduledUntil: new Date(next.getTime() + 2 * HOUR),
  });

  // The active incident, with three updates.
  const began = new Date(now.getTime() - 50 * MINUTE);
  const { incident } = await declareIncident(db, actor, {
    name: "Increased API latency in EU region",
    severity: "SEV-2",
    body: "We are investigating increased latency for API requests in the EU region.",
    components: [{ id: ids.get("API")!, status: "degraded_performance" }],
    startedAt: began,
  });
  // Two later updates; the API and webhooks stay impaired through both.
  const impaired = [
    { id: ids.get("API")!, status: "partial_outage" },
    { id: ids.get("Webhooks")!, status: "degraded_performance" },
  ];
  await postUpdates(db, incident.id, [
    {
      status: "investigating",
      body: "Latency is also affecting webhook deliveries. We are continuing to investigate.",
      components: impaired,
      displayAt: new Date(now.getTime() - 30 * MINUTE),
    },
    {
      status: "identified",
      body: "The issue has been identified as an overloaded load balancer pool. We are adding capacity.",
      components: impaired,
      displayAt: new Date(now.getTime() - 10 * MINUTE),
    },
  ]);
  await seedMetrics(db, now, rand);
  return { seeded: true };
}

/* Two weeks of a response-time metric every five minutes: a daily wave, noise, and the current incident's spike. */
async function seedMetrics(db: Db, now: Date, rand: () => number) {
  const metric = await createMetric(db, systemActor, { name: "API response time", suffix: "ms", yAxisMin: 0, tooltipDescription: "Median time to answer an API request, measured every five minutes." });
  const step = 5 * MINUTE;
  const start = Math.floor((now.getTime() - 14 * DAY) / step) * step;
  const points = [];
  for (let t = start; t <= now.getTime(); t += step) {
    const wave = 30 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI);
    const spike = now.getTime() - t < 45 * MINUTE ? 400 : 0;
    points.push({ timestamp: Math.floor(t / 1000), value: Math.round(120 + wave + rand() * 25 + spike) });
  }
  for (let i = 0; i < points.length; i += POINTS_PER_REQUEST) {
    await addMetricPoints(db, systemActor, { metricId: metric.id, points: points.slice(i, i + POINTS_PER_REQUEST) }, now);
  }
}

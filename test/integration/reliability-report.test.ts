/*
 * The reliability report shows identical numbers in its four places: the
 * admin page, the CSV and JSON downloads and GET /api/v1/reliability, all
 * through the real production server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/client.ts";
import { figureText } from "#lib/core/report-table.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate, publishPostmortem } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { parseCsv } from "#lib/domain/subscribers/csv.ts";
import { addDays, dayKey } from "#lib/core/time.ts";
import { signInCookie, startPreparedServer, type NextServer } from "../support/next-server.ts";

const PASSWORD = "reliability-password-1";
const DAY = 86_400_000;
const HOUR = 3_600_000;

// A closed period (ending yesterday) of resolved incidents: its figures do not move between requests.
const today = dayKey(new Date(), "Etc/UTC");
const from = addDays(today, -40);
const to = addDays(today, -1);
const at = (daysAgo: number, hours = 0) => new Date(Date.parse(`${today}T00:00:00Z`) - daysAgo * DAY + hours * HOUR);

async function prepare(db: Db) {
  await createUser(db, systemActor, { email: "viewer@reliability.test", password: PASSWORD, role: "viewer" });
  const api = (await createComponent(db, systemActor, { name: "API", createdAt: at(100) })).id;
  const web = (await createComponent(db, systemActor, { name: "Web, public", createdAt: at(100) })).id;
  const incident = async (spec: { severity: "SEV-1" | "SEV-2" | "SEV-3"; component: string; status: "major_outage" | "partial_outage"; start: Date; hours: number[]; detected?: Date }) => {
    const { incident } = await declareIncident(db, systemActor, {
      name: `${spec.severity} on ${spec.component}`,
      severity: spec.severity,
      body: "Investigating.",
      components: [{ id: spec.component, status: spec.status }],
      startedAt: spec.start,
      detectedAt: spec.detected,
      notify: false,
    });
    const steps = ["identified", "monitoring", "resolved"] as const;
    for (const [i, h] of spec.hours.entries()) {
      const status = steps[steps.length - spec.hours.length + i];
      await postUpdate(db, systemActor, {
        incidentId: incident.id,
        status,
        body: `${status}.`,
        displayAt: new Date(spec.start.getTime() + h * HOUR),
        components: status === "resolved" ? [{ id: spec.component, status: "operational" }] : [],
        notify: false,
      });
    }
    return incident.id;
  };
  const first = await incident({ severity: "SEV-1", component: api, status: "major_outage", start: at(30, 10), hours: [0.5, 1, 1.5] });
  await incident({ severity: "SEV-2", component: api, status: "partial_outage", start: at(20, 3), hours: [2, 7], detected: at(20, 3.25) });
  await incident({ severity: "SEV-3", component: web, status: "partial_outage", start: at(5, 12), hours: [5] });
  await incident({ severity: "SEV-2", component: web, status: "major_outage", start: at(55, 1), hours: [3] });
  await publishPostmortem(db, systemActor, { incidentId: first, body: "What happened." });
  const { maintenance } = await scheduleMaintenance(db, systemActor, {
    name: "Upgrade",
    body: "Upgrading.",
    components: [web],
    scheduledFor: at(12, 2),
    scheduledUntil: at(12, 4),
    announcedAt: at(14),
    autoTransition: false,
    notify: false,
  });
  await advanceMaintenance(db, systemActor, { incidentId: maintenance.id, status: "in_progress", at: at(12, 2), notify: false });
  await advanceMaintenance(db, systemActor, { incidentId: maintenance.id, status: "completed", at: at(12, 3.5), notify: false });
  return (await createApiKey(db, systemActor, { name: "report", scope: "read" })).token;
}

describe("the reliability report's four outputs", () => {
  let server: NextServer;
  let token = "";
  let cookie = "";
  const query = `from=${from}&to=${to}`;

  beforeAll(async () => {
    server = await startPreparedServer({
      prepare: async (db) => {
        token = await prepare(db);
      },
    });
    cookie = await signInCookie(server, "viewer@reliability.test", PASSWORD);
  }, 120_000);
  afterAll(async () => server?.stop());

  const get = async (path: string, headers: Record<string, string>) => {
    const response = await fetch(`${server.url}${path}`, { headers });
    expect(response.status, `${path}: ${server.output().slice(-1500)}`).toBe(200);
    return response;
  };

  it("page, CSV, JSON and API show the same figures", async () => {
    const [page, csv, json, api] = await Promise.all([
      get(`/admin/reliability?${query}`, { cookie }).then((r) => r.text()),
      get(`/admin/reliability/export.csv?${query}`, { cookie }).then((r) => r.text()),
      get(`/admin/reliability/export.json?${query}`, { cookie }).then((r) => r.json()),
      get(`/api/v1/reliability?${query}`, { authorization: `Bearer ${token}` }).then((r) => r.json()),
    ]);
    type Figure = { key: string; unit: "count" | "minutes" | "hours" | "percent"; current: number | null; previous: number | null };
    const figures: Figure[] = json.figures;

    // Not a vacuous pass: the period has incidents, downtime, maintenance, a postmortem and a previous period with an incident.
    const value = (key: string) => figures.find((f) => f.key === key)!;
    expect(value("incidents")).toMatchObject({ current: 3, previous: 1 });
    expect(value("availability").current).toBeLessThan(100);
    expect(value("maintenanceMinutes").current).toBe(90);
    expect(value("postmortems.late").current).toBe(1);
    expect(value("resolve.median").current).toBeGreaterThan(0);

    // JSON download and API: one document.
    expect({ ...api, generatedAt: null }).toEqual({ ...json, generatedAt: null });

    // CSV: each row's numbers as JSON has them, empty for none.
    const rows = parseCsv(csv);
    const csvFigures = new Map(rows.slice(1, 1 + figures.length).map((r) => [r[1], r]));
    for (const f of figures) {
      expect(csvFigures.get(f.key)?.slice(3), f.key).toEqual([f.current === null ? "" : String(f.current), f.previous === null ? "" : String(f.previous)]);
    }
    const componentHeader = rows.findIndex((r) => r[0] === "component");
    expect(componentHeader).toBeGreaterThan(figures.length);
    const csvComponents = rows.slice(componentHeader + 1).filter((r) => r.length > 1);
    expect(csvComponents.map((r) => [r[0], r[2], r[3]])).toEqual(
      json.components.map((c: { name: string; availability: number | null; incidents: number }) => [c.name, c.availability === null ? "" : String(c.availability), String(c.incidents)]),
    );

    // The page: each figure's row shows the same numbers with their unit.
    const decode = (s: string) => s.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
    for (const f of figures) {
      const row = new RegExp(`<tr data-key="${f.key.replace(/\./g, "\\.")}"[^>]*>.*?<td[^>]*data-current="[^"]*">([^<]*)</td><td[^>]*data-previous="[^"]*">([^<]*)</td>`).exec(page);
      expect(row, `${f.key} on the page`).not.toBeNull();
      expect([decode(row![1]), decode(row![2])], f.key).toEqual([figureText(f.current, f.unit), figureText(f.previous, f.unit)]);
    }
    for (const c of json.components as { id: string; availability: number | null }[]) {
      const row = new RegExp(`<tr data-component="${c.id}"[^>]*>.*?</th><td[^>]*>([^<]*)</td>`).exec(page);
      expect(row?.[1], c.id).toBe(figureText(c.availability, "percent"));
    }
    expect(page).toContain("not as means");
    expect(page).toMatch(/<svg[^>]*role="img"/);
  });

  it("answers a bad range with the field named, on the API and the download", async () => {
    const api = await fetch(`${server.url}/api/v1/reliability?from=${to}&to=${from}`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(400);
    expect(JSON.stringify(await api.json())).toContain("to");
    const csv = await fetch(`${server.url}/admin/reliability/export.csv?month=2026-13`, { headers: { cookie } });
    expect(csv.status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { uptimePage } from "#lib/public/uptime-page.ts";
import { engines, freshDatabase } from "../support/databases.ts";

/* /uptime's read model: twelve calendar months per component, a month's availability by the uptime formula, bad days with their incidents. */
describe.each(engines)("the /uptime read model on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let incidentId: string;
  let hidden: string;
  let other: string;
  const now = new Date();
  const [year, month] = [now.getUTCFullYear(), now.getUTCMonth()];
  // The 10th of the month two months back, 10:00–12:00 UTC: a whole past month.
  const start = new Date(Date.UTC(year, month - 2, 10, 10));
  const monthKey = start.toISOString().slice(0, 7);
  const daysInMonth = new Date(Date.UTC(year, month - 1, 0)).getUTCDate();

  beforeAll(async () => {
    h = await freshDatabase(engine);
    api = (await createComponent(h.db, systemActor, { name: "API", createdAt: new Date(Date.UTC(year - 2, 0, 1)) })).id;
    hidden = (await createComponent(h.db, systemActor, { name: "Hidden", showcase: false })).id;
    other = (await createComponent(h.db, systemActor, { name: "Other" })).id;
    const { incident } = await declareIncident(h.db, systemActor, {
      name: "API down",
      severity: "SEV-1",
      body: "Down.",
      startedAt: start,
      components: [{ id: api, status: "major_outage" }],
      notify: false,
    });
    incidentId = incident.id;
    await postUpdate(h.db, systemActor, {
      incidentId,
      status: "resolved",
      body: "Back.",
      displayAt: new Date(start.getTime() + 2 * 3_600_000),
      components: [{ id: api, status: "operational" }],
      notify: false,
    });
  });
  afterAll(async () => h?.close());

  it("gives a showcased component this month and the eleven before, with the bad day's incident", async () => {
    const view = await uptimePage(h.db, null, now);
    expect(view.components.map((c) => c.name)).toEqual(["API", "Other"]);
    expect(view.shown?.name).toBe("API");
    // Another component when asked; an unknown or hidden one shows the first.
    expect((await uptimePage(h.db, other, now)).shown?.name).toBe("Other");
    expect((await uptimePage(h.db, hidden, now)).shown?.name).toBe("API");
    const months = view.shown!.months;
    expect(months).toHaveLength(12);
    expect(months.at(-1)!.month).toBe(now.toISOString().slice(0, 7));
    expect(months[0].days[0].day.endsWith("-01")).toBe(true);
    const bad = months.find((m) => m.month === monthKey)!;
    expect(bad.availability).toBeCloseTo(1 - 120 / (daysInMonth * 1440), 12);
    const day = bad.days.find((d) => d.day === start.toISOString().slice(0, 10))!;
    expect(day).toMatchObject({ worst: "major_outage", majorOutageMinutes: 120, incidents: [{ id: incidentId, name: "API down" }] });
    expect(bad.days.filter((d) => d.incidents.length > 0)).toHaveLength(1);
    expect(months.filter((m) => m.month !== monthKey).every((m) => m.availability === 1)).toBe(true);
  });
});

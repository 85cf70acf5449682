/*
 * One page order everywhere components are listed: the status page, the
 * Statuspage API, /history's component filter and the admin's components
 * list, against the real production build and server. Groups and top-level
 * components share the top level, so a top-level component placed between
 * two groups must stand between their children in every list, and a tie in
 * position (older data) must break the same way everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { createComponent, createGroup } from "#lib/domain/components.ts";
import { signInCookie, startPreparedServer, type NextServer } from "../support/next-server.ts";

const PASSWORD = "page-order-password-1";
const DAY = 86_400_000;

/*
 * The top level: the Platform group (position 1), Website (2), Edge and the
 * Data group (both 3: Edge, created earlier, first), the Network group (9).
 */
const EXPECTED = ["Orderly API", "Orderly Dashboard", "Orderly Website", "Orderly Edge", "Orderly Search", "Orderly CDN"];

/** The names of EXPECTED in the order they first appear in a text. */
function orderIn(text: string): string[] {
  const at = EXPECTED.map((name) => ({ name, index: text.indexOf(name) }));
  expect(at.filter((a) => a.index < 0).map((a) => a.name), "every component is listed").toEqual([]);
  return at.sort((a, b) => a.index - b.index).map((a) => a.name);
}

describe("page order", () => {
  let server: NextServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        const created = (days: number) => new Date(Date.now() - days * DAY);
        const platform = await createGroup(db, systemActor, { name: "Orderly Platform" });
        // Within a group by position, not creation.
        await createComponent(db, systemActor, { name: "Orderly API", groupId: platform.id, createdAt: created(5) });
        await createComponent(db, systemActor, { name: "Orderly Dashboard", groupId: platform.id, createdAt: created(9) });
        await createComponent(db, systemActor, { name: "Orderly Website", createdAt: created(8) });
        const data = await createGroup(db, systemActor, { name: "Orderly Data" });
        await createComponent(db, systemActor, { name: "Orderly Search", groupId: data.id, createdAt: created(7) });
        const network = await createGroup(db, systemActor, { name: "Orderly Network" });
        await createComponent(db, systemActor, { name: "Orderly CDN", groupId: network.id, createdAt: created(6) });
        const solo = await createComponent(db, systemActor, { name: "Orderly Edge", createdAt: created(4) });
        // Placed by hand: the Network group last, Edge tied with the Data group.
        await db.updateTable("component_groups").set({ position: 9 }).where("id", "=", network.id).execute();
        await db.updateTable("components").set({ position: 3 }).where("id", "=", solo.id).execute();
        await createUser(db, systemActor, { email: "viewer@page-order.test", password: PASSWORD, role: "viewer" });
      },
    });
    cookie = await signInCookie(server, "viewer@page-order.test", PASSWORD);
  }, 180_000);

  afterAll(() => server?.stop());

  async function html(path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${path}`, { headers });
    expect(response.status, path).toBe(200);
    return response.text();
  }

  it("/, /api/v2/components.json, /history's filter and the admin list the same order, top-level components included", async () => {
    const home = orderIn(await html("/"));
    const api = JSON.parse(await html("/api/v2/components.json")) as { components: { name: string; group: boolean }[] };
    const apiOrder = api.components.filter((c) => !c.group).map((c) => c.name);
    const summary = JSON.parse(await html("/api/v2/summary.json")) as { components: { name: string; group: boolean }[] };
    const filter = await html("/history");
    const filterOrder = orderIn(filter.slice(filter.indexOf('<select id="component"'), filter.indexOf("</select>")));
    const admin = orderIn(await html("/admin/components", { cookie }));

    expect(home).toEqual(EXPECTED);
    expect(apiOrder).toEqual(EXPECTED);
    expect(summary.components.map((c) => c.name)).toEqual(api.components.map((c) => c.name));
    expect(filterOrder).toEqual(EXPECTED);
    expect(admin).toEqual(EXPECTED);
  });
});

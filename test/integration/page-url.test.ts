import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { previewUpdate } from "#lib/domain/drafts.ts";
import { declareIncident } from "#lib/domain/incidents.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { renderRss } from "#lib/public/feeds.ts";
import { loadSnapshot, statuspagePayload } from "#lib/public/statuspage-v2.ts";
import { engines, freshDatabase } from "../support/databases.ts";

/*
 * A page URL stored with a trailing slash (the first page row took
 * PUBLIC_URL as given before it was normalised): every link built on it
 * must still have one slash before /incidents/.
 */
describe.each(engines)("a page URL ending in a slash, on %s", (engine) => {
  let handle: DbHandle;
  let incidentId: string;

  beforeAll(async () => {
    handle = await freshDatabase(engine);
    await getPage(handle.db);
    await handle.db.updateTable("page").set({ url: "https://status.example.test/" }).execute();
    incidentId = (await declareIncident(handle.db, systemActor, { name: "Slow API", severity: "SEV-3", body: "Looking." })).incident.id;
  });
  afterAll(async () => handle?.close());

  const link = () => `https://status.example.test/incidents/${incidentId}`;

  it("the email preview links the incident page", async () => {
    const preview = await previewUpdate(handle.db, { incidentId, name: "Slow API", status: "identified", body: "Found it.", components: [] });
    expect(preview.email.html).toContain(link());
    expect(preview.email.html).not.toContain("//incidents/");
  });

  it("/api/v2 and the feeds link the incident page", async () => {
    const payload = JSON.stringify(await statuspagePayload(handle.db, `incidents/${incidentId}.json`));
    expect(payload).toContain(`"shortlink":"${link()}"`);
    expect(payload).toContain(`"url":"https://status.example.test"`);
    const rss = renderRss(await loadSnapshot(handle.db));
    expect(rss).toContain(`<link>${link()}</link>`);
    expect(rss).not.toContain("//incidents/");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { DbHandle } from "#db/client.ts";
import { contrastRatio, normalizeHexColor } from "#lib/core/colors.ts";
import { AppError } from "#lib/core/errors.ts";
import type { Actor, Role } from "#lib/domain/actors.ts";
import { createComponent } from "#lib/domain/components.ts";
import { DEFAULT_EMBED_CONFIG, getEmbedConfig, updateEmbedConfig } from "#lib/domain/embed-config.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { advanceMaintenance, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { updatePageSettings } from "#lib/domain/page-settings.ts";
import { renderEmbedFrame } from "#lib/public/embed-frame.ts";
import { loadSnapshot } from "#lib/public/statuspage-v2.ts";
import { widgetPayload, widgetText } from "#lib/public/widget.ts";
import { engines, freshDatabase } from "../support/databases.ts";

const as = (role: Role): Actor => ({ id: role, name: `${role}@example.com`, source: "session", role });

async function audits(h: DbHandle): Promise<number> {
  return (await sql<{ n: number }>`select count(*)::int as n from audit_entries where action = 'embed_config.update'`.execute(h.db)).rows[0].n;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("colours", () => {
  it("normalises hex colours and measures WCAG contrast", () => {
    expect(normalizeHexColor("#ABC")).toBe("#aabbcc");
    expect(normalizeHexColor(" 1d4ed8 ")).toBe("#1d4ed8");
    for (const bad of ["red", "#12345", "#1234567", "javascript:x", "#ggg", ""]) expect(normalizeHexColor(bad), bad).toBeNull();
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    // The defaults are readable.
    expect(contrastRatio(DEFAULT_EMBED_CONFIG.incident_text_color, DEFAULT_EMBED_CONFIG.incident_background_color)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(DEFAULT_EMBED_CONFIG.maintenance_text_color, DEFAULT_EMBED_CONFIG.maintenance_background_color)).toBeGreaterThanOrEqual(4.5);
  });
});

describe.each(engines)("embed config on %s", (engine) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase(engine);
  });
  afterAll(async () => h?.close());

  it("reads the defaults before anyone sets it", async () => {
    expect(await getEmbedConfig(h.db)).toEqual(DEFAULT_EMBED_CONFIG);
  });

  it("lets only owners change it, and a refused write leaves nothing", async () => {
    for (const role of ["viewer", "editor"] as const) {
      const error = await refusal(updateEmbedConfig(h.db, as(role), { position: "top-right" }));
      expect(error.code, role).toBe("forbidden");
    }
    expect(await getEmbedConfig(h.db)).toEqual(DEFAULT_EMBED_CONFIG);
    expect(await audits(h)).toBe(0);
  });

  it("patches the fields given, normalised, with an audit entry", async () => {
    const after = await updateEmbedConfig(h.db, as("owner"), { position: "top-right", incident_background_color: "7A1F1F" });
    expect(after).toMatchObject({ ...DEFAULT_EMBED_CONFIG, position: "top-right", incident_background_color: "#7a1f1f", updated_at: expect.any(Date) });
    expect(await getEmbedConfig(h.db)).toEqual(after);
    expect(await audits(h)).toBe(1);
    const entry = await h.db.selectFrom("audit_entries").select(["actor", "subject_type", "before", "after"]).where("action", "=", "embed_config.update").executeTakeFirstOrThrow();
    expect(entry.actor).toBe("owner@example.com");
    expect(entry.subject_type).toBe("status_embed_config");
    // The same values again change nothing and audit nothing.
    await updateEmbedConfig(h.db, as("owner"), { position: "top-right" });
    expect(await audits(h)).toBe(1);
  });

  it("names each bad field, and refuses text that is hard to read on its background", async () => {
    const before = await getEmbedConfig(h.db);
    const bad = await refusal(updateEmbedConfig(h.db, as("owner"), { position: "middle", incident_text_color: "white-ish", page_id: "x" }));
    expect(bad.code).toBe("invalid_input");
    expect(bad.issues.map((i) => i.field).sort()).toEqual(["", "incident_text_color", "position"].sort());
    const faint = await refusal(updateEmbedConfig(h.db, as("owner"), { maintenance_background_color: "#ffffff", maintenance_text_color: "#dddddd" }));
    expect(faint.issues).toEqual([{ field: "maintenance_text_color", message: expect.stringMatching(/^reads 1\.\d:1 on maintenance_background_color #ffffff/) }]);
    // A change that makes the other colour of a pair unreadable is refused too.
    const pair = await refusal(updateEmbedConfig(h.db, as("owner"), { incident_background_color: "#ffffff" }));
    expect(pair.issues.map((i) => i.field)).toEqual(["incident_text_color"]);
    expect(await getEmbedConfig(h.db)).toEqual(before);
    expect(await audits(h)).toBe(1);
  });
});

describe.each(engines)("the widget's body on %s", (engine) => {
  let h: DbHandle;
  let api: string;
  let web: string;
  beforeAll(async () => {
    h = await freshDatabase(engine);
    const owner = as("owner");
    await updatePageSettings(h.db, owner, { name: "Acme", url: "https://status.acme.test/", senderEmail: "private@acme-internal.test" });
    api = (await createComponent(h.db, owner, { name: "API" })).id;
    web = (await createComponent(h.db, owner, { name: "Web" })).id;
  });
  afterAll(async () => h?.close());

  it("holds the open incidents and maintenance in progress, public fields only, and a new update moves latest_update_at", async () => {
    const owner = as("owner");
    const empty = widgetPayload(await loadSnapshot(h.db));
    expect(empty).toEqual({ page: { name: "Acme", url: "https://status.acme.test", default_locale: "en", locales: ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"] }, incidents: [], maintenances: [] });

    const { incident: minor } = await declareIncident(h.db, owner, { name: "Slow web", severity: "SEV-4", body: "Looking.", components: [{ id: web, status: "degraded_performance" }], notify: false });
    const { incident: critical } = await declareIncident(h.db, owner, { name: "API down", severity: "SEV-1", body: "Down.", components: [{ id: api, status: "major_outage" }], notify: false });
    const { incident: resolved } = await declareIncident(h.db, owner, { name: "Old", severity: "SEV-3", body: "x", notify: false });
    await postUpdate(h.db, owner, { incidentId: resolved.id, status: "resolved", body: "Fixed.", notify: false });
    const window = { scheduledFor: new Date(Date.now() - 60_000).toISOString(), scheduledUntil: new Date(Date.now() + 3_600_000).toISOString() };
    const upcoming = { scheduledFor: new Date(Date.now() + 3_600_000).toISOString(), scheduledUntil: new Date(Date.now() + 7_200_000).toISOString() };
    const { maintenance: running } = await scheduleMaintenance(h.db, owner, { name: "DB upgrade", body: "Upgrading.", components: [api], notify: false, ...window });
    await advanceMaintenance(h.db, owner, { incidentId: running.id, status: "in_progress", body: "Started.", notify: false });
    await scheduleMaintenance(h.db, owner, { name: "Later", body: "Soon.", components: [web], notify: false, ...upcoming });

    const payload = widgetPayload(await loadSnapshot(h.db));
    // Worst first; resolved incidents and maintenance not yet started are not shown.
    expect(payload.incidents.map((i) => i.name)).toEqual(["API down", "Slow web"]);
    expect(payload.maintenances.map((i) => i.name)).toEqual(["DB upgrade"]);
    expect(payload.incidents[0]).toEqual({
      id: critical.id,
      kind: "incident",
      name: "API down",
      status: "investigating",
      status_label: "Investigating",
      impact: "critical",
      latest_update_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      url: `https://status.acme.test/incidents/${critical.id}`,
      component_ids: [api],
    });
    expect(payload.maintenances[0]).toMatchObject({ kind: "maintenance", status: "in_progress", status_label: "In progress", component_ids: [api] });
    const body = JSON.stringify(payload);
    for (const secret of ["private@acme-internal.test", "SEV-", "Looking.", "severity"]) expect(body).not.toContain(secret);

    const before = payload.incidents.find((i) => i.id === minor.id)!.latest_update_at;
    await new Promise((r) => setTimeout(r, 5));
    await postUpdate(h.db, owner, { incidentId: minor.id, status: "identified", body: "Found it.", notify: false });
    const after = widgetPayload(await loadSnapshot(h.db)).incidents.find((i) => i.id === minor.id)!;
    expect(after.latest_update_at > before).toBe(true);
    expect(after.status_label).toBe("Identified");
  });

  it("renders the frame in the configured colours, escaped, with nothing to show when all is well", async () => {
    const config = await getEmbedConfig(h.db);
    const payload = widgetPayload(await loadSnapshot(h.db));
    const hostile = { ...payload, incidents: [{ ...payload.incidents[0], name: `<img src=x onerror=alert(1)> "quoted"` }] };
    const html = renderEmbedFrame(hostile, config, false, widgetText("en"));
    expect(html).toContain(`background:${config.incident_background_color}`);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;");
    expect(html).not.toContain("<img");
    expect(html).toContain(`data-position="${config.position}"`);
    const maintenance = renderEmbedFrame({ ...payload, incidents: [] }, config, true, widgetText("en"));
    expect(maintenance).toContain(`background:${config.maintenance_background_color}`);
    const calm = renderEmbedFrame({ ...payload, incidents: [], maintenances: [] }, config, false, widgetText("en"));
    expect(calm).not.toContain("data-id=");
    expect(calm).not.toContain("<main");
  });

  it("renders the frame in the locale it is given: German, and Arabic right to left", async () => {
    const config = await getEmbedConfig(h.db);
    const payload = widgetPayload(await loadSnapshot(h.db));
    const item = payload.incidents[0];
    const english = renderEmbedFrame(payload, config, false, widgetText("en"));
    expect(english).toContain('<html lang="en" dir="ltr">');
    expect(english).toContain(`aria-label="Dismiss: ${item.name}"`);
    expect(english).toMatch(/<p class="meta">Investigating · updated <time datetime="[^"]+">[^<]+ UTC<\/time><\/p>/);

    const german = renderEmbedFrame(payload, config, false, widgetText("de"));
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(german).toContain('<main aria-label="Dienststatus">');
    expect(german).toContain('data-title="Dienststatus"');
    expect(german).toContain(`aria-label="Schließen: ${item.name}"`);
    expect(german).toMatch(/<p class="meta">Untersuchung · aktualisiert <time datetime="[^"]+">[^<]+ UTC<\/time><\/p>/);
    expect(german).toContain("<title>Status von Acme</title>");

    const arabic = renderEmbedFrame(payload, config, true, widgetText("ar"));
    expect(arabic).toContain('<html lang="ar" dir="rtl">');
    expect(arabic).toContain('<main aria-label="حالة الخدمة">');
    expect(arabic).toContain("inset-inline-end:6px");
    expect(arabic).toContain("padding-inline:16px 48px");
    expect(arabic).not.toMatch(/[^-]right:|[^-]left:/);
  });
});

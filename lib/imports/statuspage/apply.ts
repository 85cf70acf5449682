import type { Db } from "#db/client.ts";
import { isValidTimeZone } from "#lib/core/time.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { changeComponentStatus, createComponent, createGroup, currentStatuses } from "#lib/domain/components.ts";
import { getPage, updatePageSettings } from "#lib/domain/page-settings.ts";
import { importSubscribersCsv } from "#lib/domain/subscribers/csv.ts";
import { createTemplate } from "#lib/domain/templates.ts";
import { MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";
import { importIncident } from "./apply-incidents.ts";
import { Mappings } from "./mappings.ts";
import type { StatuspageComponent, StatuspageExport, StatuspageGroup } from "./objects.ts";

export interface ImportReport {
  source: string;
  created: { groups: number; components: number; incidents: number; maintenance: number; updates: number; postmortems: number; subscribers: number; templates: number };
  /** Already imported by an earlier run. */
  skipped: { groups: number; components: number; incidents: number; maintenance: number; subscribers: number; templates: number };
  /** Said once each. */
  warnings: Set<string>;
  unseen: string[];
}

/*
 * Writes what ./sources.ts read into this page, through the domain's own
 * writes (audited as the actor, no one notified): page name and time zone,
 * groups and components in display order, every incident and maintenance
 * with its whole timeline (./apply-incidents.ts), the components' current
 * statuses, email subscribers (already confirmed there, so active here, with
 * their components) and templates. Safe to run again: what is mapped is
 * skipped, what is new is added.
 */
export async function applyStatuspageExport(db: Db, actor: Actor, exp: StatuspageExport): Promise<ImportReport> {
  const report: ImportReport = {
    source: exp.source,
    created: { groups: 0, components: 0, incidents: 0, maintenance: 0, updates: 0, postmortems: 0, subscribers: 0, templates: 0 },
    skipped: { groups: 0, components: 0, incidents: 0, maintenance: 0, subscribers: 0, templates: 0 },
    warnings: new Set(),
    unseen: exp.unseen,
  };
  const mappings = await Mappings.load(db, exp.source);

  const page = await getPage(db);
  const timeZone = exp.page.time_zone && isValidTimeZone(exp.page.time_zone) ? exp.page.time_zone : page.time_zone;
  if (exp.page.time_zone && timeZone !== exp.page.time_zone) report.warnings.add(`the time zone ${exp.page.time_zone} is not known here; the page keeps ${page.time_zone}`);
  await updatePageSettings(db, actor, { name: exp.page.name.slice(0, 255), url: page.url, timeZone, supportUrl: exp.page.support_url || page.support_url || "" });

  const earliest = new Date(Math.min(Date.now(), ...exp.incidents.map((i) => new Date(i.created_at).getTime())));
  for (const item of topLevel(exp)) {
    if (item.kind === "group") {
      let groupId = mappings.get("group", item.group.id);
      if (groupId) report.skipped.groups++;
      else {
        groupId = (await createGroup(db, actor, { name: item.group.name.slice(0, 255), description: item.group.description ?? "" })).id;
        await mappings.set("group", item.group.id, groupId);
        report.created.groups++;
      }
      for (const c of item.children) await importComponent(c, groupId);
    } else await importComponent(item.component, null);
  }

  async function importComponent(c: StatuspageComponent, groupId: string | null) {
    if (mappings.get("component", c.id)) {
      report.skipped.components++;
      return;
    }
    const created = await createComponent(db, actor, {
      name: c.name.slice(0, 255),
      description: c.description ?? "",
      groupId,
      showcase: c.showcase ?? true,
      onlyShowIfDegraded: c.only_show_if_degraded ?? false,
      startDate: c.start_date || null,
      status: "operational",
      // Before any imported incident, so their status changes replay onto it.
      createdAt: c.created_at ? new Date(Math.min(new Date(c.created_at).getTime(), earliest.getTime())) : earliest,
    });
    await mappings.set("component", c.id, created.id);
    report.created.components++;
  }

  const chronological = [...exp.incidents].sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime());
  for (const incident of chronological) await importIncident({ db, actor, mappings, report }, incident);

  // The source's current statuses win over the replay (a status set outside any incident, say).
  const ids = exp.components.map((c) => ({ c, id: mappings.get("component", c.id)! }));
  const now = new Map((await currentStatuses(db, ids.map((x) => x.id))).map((s) => [s.id, s.status]));
  for (const { c, id } of ids) {
    if (now.get(id) !== c.status) await changeComponentStatus(db, actor, { componentId: id, status: c.status });
  }

  await importSubscribers(db, actor, exp, mappings, report);
  await importTemplates(db, actor, exp, mappings, report);
  return report;
}

type TopLevel = { kind: "group"; group: StatuspageGroup; children: StatuspageComponent[] } | { kind: "component"; component: StatuspageComponent };

/** Groups and ungrouped components in the source's display order, each group with its components. */
function topLevel(exp: StatuspageExport): TopLevel[] {
  const groups = new Set(exp.groups.map((g) => g.id));
  const byPosition = <T extends { position?: number | null }>(list: T[]) =>
    list.map((item, index) => ({ item, index })).sort((a, b) => (a.item.position ?? a.index) - (b.item.position ?? b.index) || a.index - b.index);
  const items: (TopLevel & { position?: number | null })[] = [
    ...exp.groups.map((group) => ({
      kind: "group" as const,
      group,
      position: group.position,
      children: byPosition(exp.components.filter((c) => c.group_id === group.id)).map((x) => x.item),
    })),
    ...exp.components.filter((c) => !c.group_id || !groups.has(c.group_id)).map((component) => ({ kind: "component" as const, component, position: component.position })),
  ];
  return byPosition(items).map((x) => x.item);
}

async function importSubscribers(db: Db, actor: Actor, exp: StatuspageExport, mappings: Mappings, report: ImportReport) {
  if (!exp.subscribers) return;
  const byMode = new Map<string, number>();
  const rows: string[] = [];
  for (const s of exp.subscribers) {
    const mode = s.mode ?? (s.email ? "email" : "unknown");
    if (mode !== "email" || !s.email) {
      byMode.set(mode, (byMode.get(mode) ?? 0) + 1);
      continue;
    }
    if (s.quarantined_at) {
      report.warnings.add("quarantined email subscribers (their address bounced there) were left out");
      continue;
    }
    const components = (s.components ?? []).map((c) => mappings.get("component", typeof c === "string" ? c : c.id)).filter(Boolean);
    rows.push(`${s.email.replaceAll(/[",\r\n]/g, "")},yes,${components.join(";")}`);
  }
  for (const [mode, count] of byMode) report.warnings.add(`${count} ${mode} subscriber(s) were not imported: Candor sends email (and chat and webhooks as channel subscribers)`);
  // About 20,000 rows per call keeps each CSV under the import's 1 MB.
  for (let i = 0; i < rows.length; i += 20_000) {
    const result = await importSubscribersCsv(db, actor, { csv: ["email,consented,components", ...rows.slice(i, i + 20_000)].join("\n") });
    report.created.subscribers += result.imported;
    report.skipped.subscribers += result.rejected.filter((r) => r.reason === "already subscribed").length;
    for (const r of result.rejected) if (r.reason !== "already subscribed") report.warnings.add(`a subscriber was not imported: ${r.reason}`);
  }
}

async function importTemplates(db: Db, actor: Actor, exp: StatuspageExport, mappings: Mappings, report: ImportReport) {
  for (const t of exp.templates ?? []) {
    if (mappings.get("template", t.id)) {
      report.skipped.templates++;
      continue;
    }
    const status = t.update_status ?? "investigating";
    const kind = status === "postmortem" ? "postmortem" : (MAINTENANCE_STATUSES as readonly string[]).includes(status) ? "maintenance" : "incident";
    try {
      const created = await createTemplate(db, actor, { kind, status, name: t.name.slice(0, 100), title: t.title ?? "", body: t.body || t.name });
      await mappings.set("template", t.id, created.id);
      report.created.templates++;
    } catch (error) {
      report.warnings.add(`the template "${t.name}" was not imported: ${(error as Error).message}`);
    }
  }
}

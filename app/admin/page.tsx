import { IncidentTable, type IncidentRowView } from "#components/admin/incident-table.tsx";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { listIncidentsForAdmin, updateDueText } from "#lib/domain/incidents.ts";
import { targetChecks } from "#lib/domain/measures.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formatDateTime } from "#lib/core/time.ts";

export const metadata = { title: "Incidents" };

export default async function AdminHome() {
  const { db, actor } = await requireSession("viewer");
  const [{ active, closed }, page] = await Promise.all([listIncidentsForAdmin(db), getPage(db)]);
  const now = new Date();
  const targets = await targetChecks(db, [...active, ...closed], now);
  const view = (i: (typeof active)[number]): IncidentRowView => ({
    id: i.id,
    reference: i.reference,
    name: i.name,
    status: i.status,
    severity: i.severity,
    started: formatDateTime(i.started_at, page.time_zone),
    due: updateDueText(i.next_update_due_at, now),
    targets: targets.get(i.id) ?? [],
  });
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Incidents</h1>
        {can(actor, "editor") ? (
          <a href="/admin/incidents/new" className="rounded bg-red-700 px-3 py-2 font-medium text-white hover:bg-red-800">
            Declare incident
          </a>
        ) : null}
      </div>
      <IncidentTable rows={active.map(view)} caption="Active incidents" />
      <IncidentTable rows={closed.map(view)} caption="Recent closed incidents" />
    </div>
  );
}

import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents } from "#lib/domain/components.ts";
import { localInputValue } from "#lib/core/forms.ts";
import { listMaintenanceForAdmin } from "#lib/domain/maintenance.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { updateStatusMeta } from "#lib/core/statuses.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { cancelAction, rescheduleAction, scheduleAction } from "./actions.ts";

export const metadata = { title: "Maintenance" };

export default async function MaintenancePage() {
  const { db, actor } = await requireSession("viewer");
  const [{ open, closed }, components, templates, page] = await Promise.all([
    listMaintenanceForAdmin(db),
    listComponents(db),
    listTemplates(db),
    getPage(db),
  ]);
  const editor = can(actor, "editor");
  const zone = page.time_zone;
  const scheduledTemplates = templates.filter((t) => t.kind === "maintenance" && t.status === "scheduled");
  const inAnHour = new Date(Date.now() + 3_600_000);
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Maintenance</h1>
      <AdminSection id="open-heading" title="Upcoming and in progress">
        {open.length === 0 ? <p className="text-gray-700">Nothing scheduled.</p> : null}
        <ul className="space-y-3">
          {open.map((m) => (
            <li key={m.id} className="rounded border border-gray-300 bg-white p-3">
              <p>
                <a href={`/admin/incidents/${m.id}`} className="font-medium text-blue-800 underline">
                  {m.name}
                </a>{" "}
                <span className="text-sm text-gray-700">
                  {m.reference} · {updateStatusMeta[m.status].label} · {formatDateTime(m.scheduled_for!, zone)} – {formatDateTime(m.scheduled_until!, zone)}
                  {m.scheduled_remind_prior ? " · reminder before start" : ""}
                </span>
              </p>
              {editor && m.status === "scheduled" ? (
                <div className="mt-2 flex flex-wrap gap-6">
                  <ActionForm
                    action={rescheduleAction}
                    submitLabel="Reschedule"
                    idPrefix={`reschedule-${m.id}`}
                    inline
                    fields={[
                      { name: "incidentId", label: "Maintenance", type: "hidden", defaultValue: m.id },
                      { name: "scheduledFor", label: `Starts (${zone})`, type: "datetime-local", defaultValue: localInputValue(m.scheduled_for!, zone) },
                      { name: "scheduledUntil", label: `Ends (${zone})`, type: "datetime-local", defaultValue: localInputValue(m.scheduled_until!, zone) },
                    ]}
                  />
                  <ActionForm
                    action={cancelAction}
                    submitLabel="Cancel maintenance"
                    idPrefix={`cancel-${m.id}`}
                    danger
                    inline
                    fields={[
                      { name: "incidentId", label: "Maintenance", type: "hidden", defaultValue: m.id },
                      { name: "notify", label: "Notify subscribers", type: "checkbox", defaultValue: "on" },
                    ]}
                  />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </AdminSection>
      {editor ? (
        <AdminSection id="schedule-heading" title="Schedule maintenance" boxed>
          <p className="mb-3 text-sm text-gray-700">
            It moves to in progress at the start and to completed at the end by itself; components show “under maintenance” meanwhile.
          </p>
          <ActionForm
            action={scheduleAction}
            submitLabel="Schedule"
            fields={[
              { name: "name", label: "Title (leave empty to use the template’s)", type: "text" },
              { name: "components", label: "Components", type: "checkboxes", options: components.map((c) => ({ value: c.id, label: c.name })) },
              { name: "scheduledFor", label: `Starts (${zone})`, type: "datetime-local", defaultValue: localInputValue(inAnHour, zone) },
              { name: "scheduledUntil", label: `Ends (${zone})`, type: "datetime-local", defaultValue: localInputValue(new Date(inAnHour.getTime() + 3_600_000), zone) },
              {
                name: "templateId",
                label: "Message template",
                type: "select",
                options: scheduledTemplates.map((t) => ({ value: t.id, label: t.name })),
                defaultValue: scheduledTemplates[0]?.id,
              },
              { name: "description", label: "What is being done (description)", type: "text" },
              { name: "remindPrior", label: "Remind subscribers an hour before the start", type: "checkbox" },
              { name: "notify", label: "Notify subscribers now", type: "checkbox", defaultValue: "on" },
            ]}
          />
        </AdminSection>
      ) : null}
      <AdminSection id="closed-heading" title="Completed">
        <ul className="list-disc pl-5 text-sm">
          {closed.map((m) => (
            <li key={m.id}>
              <a href={`/admin/incidents/${m.id}`} className="text-blue-800 underline">
                {m.name}
              </a>{" "}
              · {formatDateTime(m.scheduled_for!, zone)}
              {m.cancelled_at ? " · cancelled" : ""}
            </li>
          ))}
        </ul>
      </AdminSection>
    </div>
  );
}

import { notFound } from "next/navigation";
import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection, EditDetails } from "#components/admin/admin-section.tsx";
import { componentStatusOptions, updateStatusOptions } from "#components/admin/status-options.ts";
import { UpdateComposer } from "#components/admin/update-composer.tsx";
import { Scorecard } from "#components/admin/targets.tsx";
import { ChangeList } from "#components/change-list.tsx";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents } from "#lib/domain/components.ts";
import { isAppError } from "#lib/core/errors.ts";
import { getIncidentForAdmin, nextStatus, updateDueText } from "#lib/domain/incidents.ts";
import { localInputValue } from "#lib/core/forms.ts";
import { renderMarkdown } from "#lib/core/markdown.ts";
import { incidentScorecard } from "#lib/domain/measures.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import {
  INCIDENT_UPDATE_STATUSES,
  isOpenStatus,
  MAINTENANCE_ADVANCE_STATUSES,
  SEVERITIES,
  severityMeta,
  updateStatusMeta,
} from "#lib/core/statuses.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { formatDateTime, formatDuration } from "#lib/core/time.ts";
import { correctUpdateAction, milestonesAction, postUpdateAction } from "../actions.ts";

export const metadata = { title: "Incident" };

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { db, actor } = await requireSession("viewer");
  const { id } = await params;
  const view = await getIncidentForAdmin(db, id).catch((error) => {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  });
  const [templates, components, page, scorecard] = await Promise.all([listTemplates(db), listComponents(db), getPage(db), incidentScorecard(db, view.incident)]);
  const { incident, updates } = view;
  const zone = page.time_zone;
  const open = isOpenStatus(incident.status);
  const next = nextStatus(incident.status);
  const editor = can(actor, "editor");
  const due = updateDueText(incident.next_update_due_at);
  const statuses = incident.kind === "incident" ? INCIDENT_UPDATE_STATUSES : MAINTENANCE_ADVANCE_STATUSES;
  const carried = Object.fromEntries(view.components.map((c) => [c.id, next === "resolved" ? "operational" : c.status]));
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-gray-700">
          <a href="/admin" className="underline">
            Incidents
          </a>{" "}
          / {incident.reference}
        </p>
        <h1 className="text-2xl font-semibold">{incident.name}</h1>
        <p className="mt-1 text-sm">
          <span className="font-medium">{updateStatusMeta[incident.status].label}</span>
          {incident.severity ? ` · ${incident.severity}` : ""} · started {formatDateTime(incident.started_at, page.time_zone)}
          {incident.resolved_at ? ` · resolved after ${formatDuration(incident.resolved_at.getTime() - incident.started_at.getTime())}` : ""}
          {due ? <span className={due.overdue ? "font-semibold text-red-800" : ""}> · {due.text}</span> : null}
        </p>
        <p className="mt-1 text-sm">
          <a href={`/incidents/${incident.id}`} className="text-blue-800 underline">
            Public page
          </a>
          {incident.kind === "incident" && !open && editor ? (
            <>
              {" · "}
              <a href={`/admin/incidents/${incident.id}/postmortem`} className="text-blue-800 underline">
                {incident.postmortem_body ? "Edit postmortem" : "Write postmortem"}
              </a>
            </>
          ) : null}
        </p>
      </div>
      {editor && open ? (
        <AdminSection id="post-heading" title={next === "resolved" ? "Post an update or resolve" : "Post an update"} boxed>
          <UpdateComposer
            mode="update"
            action={postUpdateAction}
            templates={templates.filter((t) => t.kind === incident.kind).map((t) => ({ id: t.id, status: t.status, name: t.name, title: t.title, body: t.body }))}
            components={components.map((c) => ({ id: c.id, name: c.name, status: c.status }))}
            statuses={updateStatusOptions(statuses)}
            componentStatuses={componentStatusOptions}
            severities={incident.kind === "incident" ? SEVERITIES.map((s) => ({ value: s, label: severityMeta[s].label })) : undefined}
            defaults={{
              severity: incident.severity ?? undefined,
              status: incident.kind === "incident" ? next : "completed",
              components: carried,
              incidentId: incident.id,
              fields: { duration: formatDuration(Date.now() - incident.started_at.getTime()) },
            }}
          />
        </AdminSection>
      ) : null}
      {scorecard ? (
        <AdminSection id="targets-heading" title={open ? "Milestones and targets" : "Milestones and scorecard"}>
          <Scorecard milestones={scorecard.milestones} checks={scorecard.checks} zone={zone} open={open} />
          {editor ? (
            <EditDetails summary="Correct when it started, was detected or acknowledged (audited)">
              <ActionForm
                action={milestonesAction}
                submitLabel="Save milestones"
                idPrefix="milestones"
                fields={[
                  { name: "incidentId", label: "Incident", type: "hidden", defaultValue: incident.id },
                  { name: "startedAt", label: `Impact began (${zone})`, type: "datetime-local", defaultValue: localInputValue(incident.started_at, zone) },
                  {
                    name: "detectedAt",
                    label: `Detected (${zone}); empty: when declared`,
                    type: "datetime-local",
                    defaultValue: incident.detected_at ? localInputValue(incident.detected_at, zone) : "",
                  },
                  {
                    name: "acknowledgedAt",
                    label: `Acknowledged (${zone}); empty: when declared`,
                    type: "datetime-local",
                    defaultValue: incident.acknowledged_at ? localInputValue(incident.acknowledged_at, zone) : "",
                  },
                ]}
              />
            </EditDetails>
          ) : null}
        </AdminSection>
      ) : null}
      <AdminSection id="timeline-heading" title="Timeline">
        <ol className="space-y-3">
          {updates.map((u) => (
            <li key={u.id} className="rounded border border-gray-300 bg-white p-3">
              <p className="text-sm">
                <span className="font-semibold">{updateStatusMeta[u.status].label}</span> · {formatDateTime(u.display_at, page.time_zone)} · by {u.created_by}
                {u.notify ? "" : " · subscribers not notified"}
              </p>
              <div className="admin-prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(u.body) }} />
              <ChangeList changes={u.changes} className="mt-1 text-sm text-gray-700" />
              {editor ? (
                <EditDetails summary="Correct this update’s text (silently)">
                  <ActionForm
                    action={correctUpdateAction}
                    submitLabel="Save correction"
                    idPrefix={`correct-${u.id}`}
                    fields={[
                      { name: "updateId", label: "Update", type: "hidden", defaultValue: u.id },
                      { name: "body", label: "Text", type: "textarea", defaultValue: u.body, rows: 4 },
                    ]}
                  />
                </EditDetails>
              ) : null}
            </li>
          ))}
        </ol>
      </AdminSection>
    </div>
  );
}

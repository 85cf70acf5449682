import { ActionForm, type FieldSpec } from "#components/admin/action-form.tsx";
import { AdminSection, EditDetails } from "#components/admin/admin-section.tsx";
import { can } from "#lib/domain/actors.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { INCIDENT_UPDATE_STATUSES, MAINTENANCE_STATUSES, updateStatusMeta } from "#lib/core/statuses.ts";
import { PLACEHOLDERS } from "#lib/core/placeholders.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { createTemplateAction, deleteTemplateAction, editTemplateAction } from "./actions.ts";

export const metadata = { title: "Templates" };

const KIND_STATUSES = [
  ...INCIDENT_UPDATE_STATUSES.map((s) => ({ value: `incident:${s}`, label: `Incident · ${updateStatusMeta[s].label}` })),
  ...MAINTENANCE_STATUSES.map((s) => ({ value: `maintenance:${s}`, label: `Maintenance · ${updateStatusMeta[s].label}` })),
  { value: "postmortem:postmortem", label: "Postmortem" },
];

function fields(values: { kindStatus?: string; name?: string; title?: string; body?: string } = {}): FieldSpec[] {
  return [
    { name: "kindStatus", label: "For", type: "select", options: KIND_STATUSES, defaultValue: values.kindStatus ?? "incident:investigating" },
    { name: "name", label: "Name", defaultValue: values.name },
    { name: "title", label: "Incident title (declare only; may use placeholders)", defaultValue: values.title },
    { name: "body", label: "Text (markdown with placeholders)", type: "textarea", rows: 6, defaultValue: values.body },
  ];
}

export default async function TemplatesPage() {
  const { db, actor } = await requireSession("viewer");
  const templates = await listTemplates(db);
  const editor = can(actor, "editor");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Templates</h1>
      <p className="text-sm text-gray-700">
        Placeholders: {PLACEHOLDERS.map((p) => `{{${p}}}`).join(" ")}. <code>{"{{components}}"}</code> is filled from the chosen
        components; any other name is refused on save.
      </p>
      <ul className="space-y-3">
        {templates.map((t) => (
          <li key={t.id} className="rounded border border-gray-300 bg-white p-3">
            <p className="font-medium">
              {t.name} <span className="text-sm text-gray-700">· {KIND_STATUSES.find((k) => k.value === `${t.kind}:${t.status}`)?.label}{t.is_default ? " · default" : ""}</span>
            </p>
            <pre className="mt-1 whitespace-pre-wrap text-sm text-gray-800">{t.body}</pre>
            {editor ? (
              <EditDetails summary={`Edit ${t.name}`} className="space-y-4">
                <ActionForm
                  action={editTemplateAction}
                  submitLabel="Save template"
                  idPrefix={`template-${t.id}`}
                  fields={[{ name: "id", label: "Template", type: "hidden", defaultValue: t.id }, ...fields({ kindStatus: `${t.kind}:${t.status}`, name: t.name, title: t.title, body: t.body })]}
                />
                {t.is_default ? null : (
                  <ActionForm
                    action={deleteTemplateAction}
                    submitLabel={`Delete ${t.name}`}
                    idPrefix={`delete-${t.id}`}
                    danger
                    fields={[{ name: "id", label: "Template", type: "hidden", defaultValue: t.id }]}
                  />
                )}
              </EditDetails>
            ) : null}
          </li>
        ))}
      </ul>
      {editor ? (
        <AdminSection id="new-template" title="New template" boxed>
          <ActionForm action={createTemplateAction} submitLabel="Create template" fields={fields()} />
        </AdminSection>
      ) : null}
    </div>
  );
}

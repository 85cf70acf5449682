import { UpdateComposer } from "#components/admin/update-composer.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listComponents } from "#lib/domain/components.ts";
import { cadenceFor, getPage } from "#lib/domain/page-settings.ts";
import { componentStatusMeta, COMPONENT_STATUSES, SEVERITIES, severityMeta, updateStatusMeta } from "#lib/core/statuses.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { declareAction } from "../actions.ts";

export const metadata = { title: "Declare incident" };

export default async function DeclarePage() {
  const { db } = await requireSession("editor");
  const [templates, components, page] = await Promise.all([listTemplates(db), listComponents(db), getPage(db)]);
  // The severity's label says what it promises the public.
  const severityLabel = (s: (typeof SEVERITIES)[number]) => {
    const cadence = cadenceFor(page, s);
    return `${severityMeta[s].label} — ${cadence ? `public update every ${cadence} min` : "no update promise"}`;
  };
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Declare an incident</h1>
      <UpdateComposer
        mode="declare"
        action={declareAction}
        templates={templates.filter((t) => t.kind === "incident").map((t) => ({ id: t.id, status: t.status, name: t.name, title: t.title, body: t.body }))}
        components={components.map((c) => ({ id: c.id, name: c.name, status: c.status }))}
        statuses={(["investigating", "identified", "monitoring"] as const).map((s) => ({ value: s, label: updateStatusMeta[s].label }))}
        componentStatuses={COMPONENT_STATUSES.map((s) => ({ value: s, label: componentStatusMeta[s].label }))}
        severities={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
        defaults={{ status: "investigating", severity: "SEV-2", components: {} }}
      />
    </div>
  );
}

import { componentStatusOptions, updateStatusOptions } from "#components/admin/status-options.ts";
import { UpdateComposer } from "#components/admin/update-composer.tsx";
import { z } from "zod";
import { requireSession } from "#lib/auth/sessions.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { listComponents } from "#lib/domain/components.ts";
import { cadenceFor, getPage } from "#lib/domain/page-settings.ts";
import { OPEN_INCIDENT_STATUSES, SEVERITIES, severityMeta } from "#lib/core/statuses.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { declareAction } from "../actions.ts";

export const metadata = { title: "Declare incident" };

/* ?component=<id> (the reports inbox's "declare incident from these reports") pre-selects it; anything else is ignored. */
const declareQuery = z.object({ component: publicIdField("component").optional().catch(undefined) });

export default async function DeclarePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await requireSession("editor");
  const query = declareQuery.parse(await searchParams);
  const [templates, components, page] = await Promise.all([listTemplates(db), listComponents(db), getPage(db)]);
  const reported = components.find((c) => c.id === query.component);
  // Pre-selected as ticking its box would (partial outage), unless it already shows a problem.
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
        statuses={updateStatusOptions(OPEN_INCIDENT_STATUSES)}
        componentStatuses={componentStatusOptions}
        severities={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
        defaults={{
          status: "investigating",
          severity: "SEV-2",
          components: reported ? { [reported.id]: reported.status === "operational" ? "partial_outage" : reported.status } : {},
        }}
      />
    </div>
  );
}

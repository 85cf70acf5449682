import { componentStatusOptions, updateStatusOptions } from "#components/admin/status-options.ts";
import { UpdateComposer } from "#components/admin/update-composer.tsx";
import { z } from "zod";
import { requireSession } from "#lib/auth/sessions.ts";
import { publicIdField } from "#lib/core/forms.ts";
import { listComponents } from "#lib/domain/components.ts";
import { reportGroupRef } from "#lib/domain/report-followups.ts";
import { cadenceFor, getPage } from "#lib/domain/page-settings.ts";
import { OPEN_INCIDENT_STATUSES, SEVERITIES, severityMeta } from "#lib/core/statuses.ts";
import { listTemplates } from "#lib/domain/templates.ts";
import { declareAction } from "../actions.ts";

export const metadata = { title: "Declare incident" };

/*
 * ?component=<id>&reports=<group> (the reports inbox's "declare incident from
 * these reports") pre-selects the component and ties the group's reports to
 * the new incident; anything else is ignored.
 */
const declareQuery = z.object({
  component: publicIdField("component").optional().catch(undefined),
  reports: reportGroupRef.optional().catch(undefined),
});

export default async function DeclarePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await requireSession("editor");
  const params = await searchParams;
  const query = declareQuery.parse(params);
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
      {query.reports ? (
        <p className="mb-4 text-sm text-gray-700">
          Declaring from a group of problem reports: reporters who left an email hear back once, when this incident resolves.
        </p>
      ) : null}
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
          fromReports: query.reports ? String(params.reports) : undefined,
          components: reported ? { [reported.id]: reported.status === "operational" ? "partial_outage" : reported.status } : {},
        }}
      />
    </div>
  );
}

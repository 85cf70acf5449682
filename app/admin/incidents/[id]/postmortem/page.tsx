import { notFound } from "next/navigation";
import { PostmortemEditor } from "#components/admin/postmortem-editor.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { NotFoundError } from "#lib/core/errors.ts";
import { getIncidentForAdmin, timelineMarkdown } from "#lib/domain/incidents.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { impactMeta } from "#lib/core/statuses.ts";
import { fillTemplate, listNames, listTemplates } from "#lib/domain/templates.ts";
import { formatDateTime, formatDuration } from "#lib/core/time.ts";
import { postmortemAction } from "../../actions.ts";

export const metadata = { title: "Postmortem" };

export default async function PostmortemPage({ params }: { params: Promise<{ id: string }> }) {
  const { db } = await requireSession("editor");
  const { id } = await params;
  const view = await getIncidentForAdmin(db, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const [templates, page] = await Promise.all([listTemplates(db), getPage(db)]);
  const { incident, updates } = view;
  const template = templates.find((t) => t.kind === "postmortem" && t.is_default) ?? templates.find((t) => t.kind === "postmortem");
  // Everything the incident already knows is filled in; the rest stays as {{placeholders}} to write.
  const initial =
    incident.postmortem_body ??
    fillTemplate(template?.body ?? "", {
      components: listNames(view.components.map((c) => c.name)),
      impact: impactMeta[incident.impact].label,
      duration: incident.resolved_at ? formatDuration(incident.resolved_at.getTime() - incident.started_at.getTime()) : "",
      timeline: timelineMarkdown(updates, (d) => formatDateTime(d, page.time_zone)),
      incident: incident.name,
    }).text;
  return (
    <div className="space-y-4">
      <p className="text-sm text-gray-700">
        <a href={`/admin/incidents/${incident.id}`} className="underline">
          {incident.reference}
        </a>{" "}
        / postmortem
      </p>
      <h1 className="text-2xl font-semibold">Postmortem: {incident.name}</h1>
      {incident.status !== "resolved" && incident.status !== "postmortem" ? (
        <p role="alert" className="rounded bg-amber-50 p-2 text-amber-900">
          Resolve the incident before publishing its postmortem.
        </p>
      ) : null}
      <PostmortemEditor action={postmortemAction} incidentId={incident.id} initial={initial} published={!!incident.postmortem_published_at} />
    </div>
  );
}

import { notFound } from "next/navigation";
import { PostmortemEditor } from "#components/admin/postmortem-editor.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { isAppError } from "#lib/core/errors.ts";
import { isOpenStatus } from "#lib/core/statuses.ts";
import { draftPostmortem } from "#lib/domain/drafts.ts";
import { getIncidentForAdmin } from "#lib/domain/incidents.ts";
import { postmortemAction } from "../../actions.ts";

export const metadata = { title: "Postmortem" };

export default async function PostmortemPage({ params }: { params: Promise<{ id: string }> }) {
  const { db } = await requireSession("editor");
  const { id } = await params;
  const view = await getIncidentForAdmin(db, id).catch((error) => {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  });
  const { incident } = view;
  const initial = incident.postmortem_body ?? (await draftPostmortem(db, view));
  return (
    <div className="space-y-4">
      <p className="text-sm text-gray-700">
        <a href={`/admin/incidents/${incident.id}`} className="underline">
          {incident.reference}
        </a>{" "}
        / postmortem
      </p>
      <h1 className="text-2xl font-semibold">Postmortem: {incident.name}</h1>
      {isOpenStatus(incident.status) ? (
        <p role="alert" className="rounded bg-amber-50 p-2 text-amber-900">
          Resolve the incident before publishing its postmortem.
        </p>
      ) : null}
      <PostmortemEditor action={postmortemAction} incidentId={incident.id} initial={initial} published={!!incident.postmortem_published_at} />
    </div>
  );
}

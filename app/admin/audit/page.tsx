import { AdminTable } from "#components/admin/admin-table.tsx";
import { ListFilter, listHref, Pager } from "#components/admin/list-controls.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listAuditEntries } from "#lib/domain/audit.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formatDateTime } from "#lib/core/time.ts";

export const metadata = { title: "Audit log" };

const SOURCES = [
  { value: "session", label: "signed-in user" },
  { value: "api_key", label: "API key" },
  { value: "system", label: "system" },
] as const;

function one(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() || undefined;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await requireSession("viewer");
  const params = await searchParams;
  const source = SOURCES.find((s) => s.value === one(params.source))?.value;
  const filters = { actor: one(params.actor), action: one(params.action), subjectId: one(params.subject), source, before: one(params.before) };
  const [{ entries, next }, page] = await Promise.all([listAuditEntries(db, filters), getPage(db)]);
  const shown = { actor: filters.actor, action: filters.action, subject: filters.subjectId, source };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <ListFilter
        fields={[
          { name: "actor", label: "Who", value: shown.actor },
          { name: "action", label: "Action (prefix, e.g. incident.)", value: shown.action },
          { name: "subject", label: "Subject id", value: shown.subject },
          { name: "source", label: "From", value: shown.source, choices: { any: "anywhere", options: SOURCES } },
        ]}
      />
      <AdminTable
        rows={entries}
        rowKey={(e) => String(e.id)}
        rowId={(e) => `audit-${e.id}`}
        rowClassName={() => "align-top"}
        empty="No entries match."
        columns={[
          { header: "When", className: "whitespace-nowrap", cell: (e) => formatDateTime(e.at, page.time_zone) },
          {
            header: "Who",
            cell: (e) => (
              <>
                {e.actor}
                <div className="text-xs text-gray-700">
                  {e.source}
                  {e.ip ? ` · ${e.ip}` : ""}
                </div>
              </>
            ),
          },
          { header: "Action", cell: (e) => e.action },
          { header: "Subject", cell: (e) => `${e.subject_type} ${e.subject_id}` },
          {
            header: "Change",
            cell: (e) =>
              e.before || e.after ? (
                <details>
                  <summary>before / after</summary>
                  <pre className="max-w-xl overflow-x-auto text-xs">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                </details>
              ) : null,
          },
        ]}
      />
      <Pager next={next ? { href: listHref(shown, { before: next }), label: "Older entries" } : null} />
    </div>
  );
}

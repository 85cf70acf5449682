import type { Metadata } from "next";
import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { AdminTable, type AdminColumn } from "#components/admin/admin-table.tsx";
import { ListFilter, listHref, Pager } from "#components/admin/list-controls.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listSubscribers, SUBSCRIBER_STATUSES, subscriberCounts } from "#lib/domain/subscribers/admin.ts";
import { deleteAction, importAction } from "./actions.ts";

export const metadata: Metadata = { title: "Subscribers" };

const ZONE = "Etc/UTC";
const PAGE_SIZE = 100;

type Subscriber = Awaited<ReturnType<typeof listSubscribers>>[number];

export default async function SubscribersPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { db, actor } = await requireSession("viewer");
  const params = await searchParams;
  const status = (SUBSCRIBER_STATUSES as readonly string[]).includes(params.status ?? "") ? params.status : undefined;
  const offset = Math.max(0, Number(params.offset ?? 0) || 0);
  const [counts, rows] = await Promise.all([
    subscriberCounts(db),
    listSubscribers(db, { q: params.q || undefined, status, limit: PAGE_SIZE, offset }),
  ]);
  const canEdit = actor.role !== "viewer";
  const filters = { q: params.q, status };
  const deleteColumn: AdminColumn<Subscriber> = {
    header: "Actions",
    hideHeader: true,
    cell: (s) => (
      <form action={deleteAction}>
        <input type="hidden" name="id" value={s.id} />
        <button type="submit" aria-label={`Delete ${s.email}`} className="rounded bg-red-700 px-2 py-1 font-medium text-white">
          Delete
        </button>
      </form>
    ),
  };
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Subscribers</h1>
        <a href="/admin/subscribers/export.csv" className="text-blue-800 underline">
          Export CSV
        </a>
      </div>
      <ul className="flex flex-wrap gap-4 text-sm" aria-label="Subscribers by status">
        {SUBSCRIBER_STATUSES.map((s) => (
          <li key={s}>
            <a href={`?status=${s}`} className="text-blue-800 underline">
              {s}
            </a>{" "}
            <strong>{counts[s]}</strong>
          </li>
        ))}
      </ul>
      <ListFilter
        fields={[
          { name: "q", label: "Search", value: params.q },
          { name: "status", label: "Status", value: status, choices: { any: "any", options: SUBSCRIBER_STATUSES.map((s) => ({ value: s, label: s })) } },
        ]}
      />
      <AdminTable
        rows={rows}
        rowKey={(s) => s.id}
        empty="No subscribers match."
        columns={[
          { header: "Email", rowHeader: true, cell: (s) => s.email },
          { header: "Status", cell: (s) => s.status },
          { header: "Components", cell: (s) => (s.all_components ? "all" : "chosen") },
          { header: "Subscribed", cell: (s) => <Time date={s.created_at} zone={ZONE} /> },
          { header: "Source", cell: (s) => s.consent_source },
          ...(canEdit ? [deleteColumn] : []),
        ]}
      />
      <Pager
        previous={offset > 0 ? { href: listHref(filters, { offset: Math.max(0, offset - PAGE_SIZE) }), label: "Previous" } : null}
        next={rows.length === PAGE_SIZE ? { href: listHref(filters, { offset: offset + PAGE_SIZE }), label: "Next" } : null}
      />
      {canEdit ? (
        <AdminSection id="import-heading" title="Import CSV" boxed>
          <p className="mb-2 text-sm text-gray-700">
            Header row with <code>email</code>, optionally <code>consented</code> (yes: active at once; otherwise a
            confirmation email is sent) and <code>components</code> (ids or names separated by <code>;</code>, empty for
            all). Every row is checked; rejected rows are listed with their line.
          </p>
          <ActionForm
            action={importAction}
            submitLabel="Import"
            fields={[{ name: "csv", label: "CSV", type: "textarea", rows: 8, required: true }]}
          />
        </AdminSection>
      ) : null}
      <p className="text-sm text-gray-700">
        Deleting a subscriber erases the address and its delivery history. Sending: <a href="/admin/outbox">outbox</a>.
      </p>
    </div>
  );
}

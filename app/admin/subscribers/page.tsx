import type { Metadata } from "next";
import { ActionForm } from "#components/admin/action-form.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listSubscribers, SUBSCRIBER_STATUSES, subscriberCounts } from "#lib/domain/subscribers/admin.ts";
import { deleteAction, importAction } from "./actions.ts";

export const metadata: Metadata = { title: "Subscribers" };

const ZONE = "Etc/UTC";
const PAGE_SIZE = 100;

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
  const query = (extra: Record<string, string | number>) =>
    `?${new URLSearchParams({ ...(params.q ? { q: params.q } : {}), ...(status ? { status } : {}), ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) })}`;
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
      <form className="flex flex-wrap items-end gap-2" method="get">
        <label className="text-sm">
          Search
          <input name="q" defaultValue={params.q ?? ""} className="mt-1 block rounded border border-gray-400 bg-white px-2 py-1.5" />
        </label>
        <label className="text-sm">
          Status
          <select name="status" defaultValue={status ?? ""} className="mt-1 block rounded border border-gray-400 bg-white px-2 py-1.5">
            <option value="">any</option>
            {SUBSCRIBER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded bg-gray-800 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
      </form>
      <table className="w-full border-collapse bg-white text-sm">
        <thead>
          <tr className="border-b border-gray-300 text-left">
            <th scope="col" className="p-2">Email</th>
            <th scope="col" className="p-2">Status</th>
            <th scope="col" className="p-2">Components</th>
            <th scope="col" className="p-2">Subscribed</th>
            <th scope="col" className="p-2">Source</th>
            {canEdit ? (
              <th scope="col" className="p-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.id} className="border-b border-gray-200">
              <th scope="row" className="p-2 text-left font-medium">
                {s.email}
              </th>
              <td className="p-2">{s.status}</td>
              <td className="p-2">{s.all_components ? "all" : "chosen"}</td>
              <td className="p-2">
                <Time date={s.created_at} zone={ZONE} />
              </td>
              <td className="p-2">{s.consent_source}</td>
              {canEdit ? (
                <td className="p-2">
                  <form action={deleteAction}>
                    <input type="hidden" name="id" value={s.id} />
                    <button type="submit" aria-label={`Delete ${s.email}`} className="rounded bg-red-700 px-2 py-1 font-medium text-white">
                      Delete
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="text-gray-700">No subscribers match.</p> : null}
      <nav className="flex justify-between text-sm" aria-label="Pages">
        {offset > 0 ? <a href={query({ offset: Math.max(0, offset - PAGE_SIZE) })}>Previous</a> : <span />}
        {rows.length === PAGE_SIZE ? <a href={query({ offset: offset + PAGE_SIZE })}>Next</a> : null}
      </nav>
      {canEdit ? (
        <section className="rounded border border-gray-300 bg-white p-4">
          <h2 className="mb-2 text-lg font-semibold">Import CSV</h2>
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
        </section>
      ) : null}
      <p className="text-sm text-gray-700">
        Deleting a subscriber erases the address and its delivery history. Sending: <a href="/admin/outbox">outbox</a>.
      </p>
    </div>
  );
}

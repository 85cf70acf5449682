import { requireSession } from "#lib/auth/sessions.ts";
import { listAuditEntries } from "#lib/domain/audit.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { formatDateTime } from "#lib/core/time.ts";

export const metadata = { title: "Audit log" };

const SOURCES = ["session", "api_key", "system"] as const;

function one(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.trim() || undefined;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await requireSession("viewer");
  const params = await searchParams;
  const source = SOURCES.find((s) => s === one(params.source));
  const filters = { actor: one(params.actor), action: one(params.action), subjectId: one(params.subject), source, before: one(params.before) };
  const [{ entries, next }, page] = await Promise.all([listAuditEntries(db, filters), getPage(db)]);
  const olderHref = (before: string) => {
    const p = new URLSearchParams();
    for (const [key, value] of [["actor", filters.actor], ["action", filters.action], ["subject", filters.subjectId], ["source", source]] as const) {
      if (value) p.set(key, value);
    }
    p.set("before", before);
    return `?${p}`;
  };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form method="get" className="flex flex-wrap items-end gap-3 rounded border border-gray-300 bg-white p-3 text-sm">
        <label>
          Who
          <input name="actor" defaultValue={filters.actor} className="mt-1 block rounded border border-gray-400 px-2 py-1" />
        </label>
        <label>
          Action (prefix, e.g. incident.)
          <input name="action" defaultValue={filters.action} className="mt-1 block rounded border border-gray-400 px-2 py-1" />
        </label>
        <label>
          Subject id
          <input name="subject" defaultValue={filters.subjectId} className="mt-1 block rounded border border-gray-400 px-2 py-1" />
        </label>
        <label>
          From
          <select name="source" defaultValue={source ?? ""} className="mt-1 block rounded border border-gray-400 px-2 py-1">
            <option value="">anywhere</option>
            <option value="session">signed-in user</option>
            <option value="api_key">API key</option>
            <option value="system">system</option>
          </select>
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white">
          Filter
        </button>
      </form>
      <table className="w-full border-collapse bg-white text-left text-sm">
        <thead>
          <tr className="border-b border-gray-300">
            <th scope="col" className="p-2">When</th>
            <th scope="col" className="p-2">Who</th>
            <th scope="col" className="p-2">Action</th>
            <th scope="col" className="p-2">Subject</th>
            <th scope="col" className="p-2">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} id={`audit-${e.id}`} className="border-b border-gray-200 align-top">
              <td className="p-2 whitespace-nowrap">{formatDateTime(e.at, page.time_zone)}</td>
              <td className="p-2">
                {e.actor}
                <div className="text-xs text-gray-700">
                  {e.source}
                  {e.ip ? ` · ${e.ip}` : ""}
                </div>
              </td>
              <td className="p-2">{e.action}</td>
              <td className="p-2">
                {e.subject_type} {e.subject_id}
              </td>
              <td className="p-2">
                {e.before || e.after ? (
                  <details>
                    <summary>before / after</summary>
                    <pre className="max-w-xl overflow-x-auto text-xs">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 ? <p>No entries match.</p> : null}
      {next ? (
        <a href={olderHref(next)} className="text-blue-800 underline">
          Older entries
        </a>
      ) : null}
    </div>
  );
}

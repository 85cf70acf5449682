import { ReliabilityReportView } from "#components/admin/reliability-report.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { isAppError } from "#lib/core/errors.ts";
import { reportQuery } from "#lib/core/report-table.ts";
import { addDays } from "#lib/core/time.ts";
import { listComponents } from "#lib/domain/components.ts";
import { reliabilityDocument } from "#lib/domain/measures.ts";

export const metadata = { title: "Reliability report" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function ReliabilityPage({ searchParams }: { searchParams: Search }) {
  const { db } = await requireSession("viewer");
  const raw = Object.fromEntries(Object.entries(await searchParams).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  const parsed = reportQuery.safeParse(raw);
  const query = parsed.success ? parsed.data : {};
  const [doc, components] = await Promise.all([
    reliabilityDocument(db, query).catch((error) => {
      if (isAppError(error, "not_found")) return reliabilityDocument(db, { ...query, component: undefined });
      throw error;
    }),
    listComponents(db),
  ]);
  const periodQuery = new URLSearchParams(
    Object.entries({ month: query.month, from: query.from, to: query.to }).filter((e): e is [string, string] => !!e[1]),
  ).toString();
  const exportQuery = new URLSearchParams([...new URLSearchParams(periodQuery), ...(doc.component ? [["component", doc.component.id]] : [])]).toString();
  const suffix = exportQuery ? `?${exportQuery}` : "";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Reliability report</h1>
      {!parsed.success ? (
        <p role="alert" className="text-red-800">
          {parsed.error.issues.map((i) => `${String(i.path[0] ?? "query")} ${i.message}`).join("; ")}: showing this month instead.
        </p>
      ) : null}
      <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <label className="flex flex-col">
          Month
          <input type="month" name="month" defaultValue={query.month ?? (query.from ? "" : doc.period.firstDay.slice(0, 7))} className="rounded border border-gray-400 px-2 py-1" />
        </label>
        <span className="pb-1">or</span>
        <label className="flex flex-col">
          From
          <input type="date" name="from" defaultValue={query.from ?? ""} className="rounded border border-gray-400 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          To (included)
          <input type="date" name="to" defaultValue={query.to ?? ""} className="rounded border border-gray-400 px-2 py-1" />
        </label>
        <label className="flex flex-col">
          Component
          <select name="component" defaultValue={doc.component?.id ?? ""} className="rounded border border-gray-400 px-2 py-1">
            <option value="">Whole page</option>
            {components.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="rounded border border-blue-700 px-3 py-1 font-medium text-blue-800">
          Show
        </button>
      </form>
      <p className="text-sm">
        Download: <a href={`/admin/reliability/export.csv${suffix}`} className="text-blue-800 underline">CSV</a> ·{" "}
        <a href={`/admin/reliability/export.json${suffix}`} className="text-blue-800 underline">JSON</a> · the same figures at{" "}
        <code>GET /api/v1/reliability{suffix}</code>
      </p>
      <ReliabilityReportView
        doc={doc}
        lastDay={addDays(doc.period.endDay, -1)}
        previousLastDay={addDays(doc.previousPeriod.endDay, -1)}
        periodQuery={periodQuery}
      />
    </div>
  );
}

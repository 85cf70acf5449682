import type { Metadata } from "next";
import { AdminTable } from "#components/admin/admin-table.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { listReportGroups, type ReportGroup } from "#lib/domain/problem-reports.ts";
import { reportGroupKey } from "#lib/domain/report-followups.ts";

export const metadata: Metadata = { title: "Reports" };

const ZONE = "Etc/UTC";
/* Window lengths to group by, in minutes: the first is a spike, the last a day. */
const WINDOWS = [
  { minutes: 10, label: "10 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 1440, label: "1 day" },
];

/* What customers reported through /report, per component and window; the text as typed, never rendered as markdown or HTML. */
export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db, actor } = await requireSession("viewer");
  const params = await searchParams;
  const windowMinutes = WINDOWS.find((w) => String(w.minutes) === params.window)?.minutes ?? 60;
  const [groups, page] = await Promise.all([listReportGroups(db, actor, { windowMinutes }), getPage(db)]);
  const canDeclare = actor.role !== "viewer";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Problem reports</h1>
      <p className="text-sm text-gray-700">
        {page.reports_enabled ? (
          <>
            Customers can report a problem at <a href="/report">/report</a>.
          </>
        ) : (
          "The report form is off; an owner can turn it on in Settings."
        )}{" "}
        Reports are never published.
      </p>
      <nav aria-label="Group reports by" className="flex gap-3 text-sm">
        Group by:
        {WINDOWS.map((w) => (
          <a key={w.minutes} href={`?window=${w.minutes}`} aria-current={w.minutes === windowMinutes ? "page" : undefined} className="text-blue-800 underline">
            {w.label}
          </a>
        ))}
      </nav>
      <AdminTable<ReportGroup>
        rows={groups}
        rowKey={(g) => `${g.componentId ?? "-"}:${g.windowStart.toISOString()}`}
        empty="No problem reports yet."
        caption={`Reports per component, in windows of ${WINDOWS.find((w) => w.minutes === windowMinutes)!.label}, newest first`}
        columns={[
          { header: "Component", rowHeader: true, cell: (g) => g.componentName ?? "Not sure / the whole service" },
          {
            header: "Window",
            cell: (g) => (
              <>
                from <Time date={g.windowStart} zone={ZONE} />
              </>
            ),
          },
          { header: "Reports", className: "text-right", cell: (g) => (g.withEmail ? `${g.count} (${g.withEmail} to answer by email)` : g.count) },
          {
            header: "Latest",
            cell: (g) => (
              <ul className="space-y-1">
                {g.latest.map((r, i) => (
                  <li key={i} className="whitespace-pre-wrap break-words">
                    <Time date={r.at} zone={ZONE} timeOnly />: {r.description}
                    {r.email ? <span className="text-gray-700"> ({r.email})</span> : null}
                  </li>
                ))}
              </ul>
            ),
          },
          ...(canDeclare
            ? [
                {
                  header: "Actions",
                  hideHeader: true,
                  cell: (g: ReportGroup) => (
                    <a
                      href={`/admin/incidents/new?${new URLSearchParams({ ...(g.componentId ? { component: g.componentId } : {}), reports: reportGroupKey(g, windowMinutes) })}`}
                      className="text-blue-800 underline"
                    >
                      Declare incident from these reports
                    </a>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}

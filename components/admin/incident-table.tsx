import type { TargetCheck } from "#lib/core/milestones.ts";
import { AdminTable } from "./admin-table.tsx";
import { TargetSummary } from "./targets.tsx";

export interface IncidentRowView {
  id: string;
  reference: string;
  name: string;
  status: string;
  severity: string | null;
  started: string;
  due: { text: string; overdue: boolean } | null;
  /** Met, due soon or missed while open; the scorecard once closed. */
  targets: TargetCheck[];
}

/* The admin's incident list: one row per incident, the promise to the public first. */
export function IncidentTable({ rows, caption }: { rows: IncidentRowView[]; caption: string }) {
  return (
    <AdminTable
      rows={rows}
      rowKey={(r) => r.id}
      caption={caption}
      empty={`No ${caption.toLowerCase()}.`}
      columns={[
        {
          header: "Incident",
          cell: (r) => (
            <>
              <a href={`/admin/incidents/${r.id}`} className="font-medium text-blue-800 underline">
                {r.name}
              </a>
              <div className="text-xs text-gray-700">{r.reference}</div>
            </>
          ),
        },
        { header: "Status", cell: (r) => r.status },
        { header: "Severity", cell: (r) => r.severity ?? "—" },
        { header: "Started", cell: (r) => r.started },
        { header: "Targets", cell: (r) => <TargetSummary checks={r.targets} /> },
        { header: "Next update", cell: (r) => (r.due?.overdue ? <span className="font-semibold text-red-800">{r.due.text}</span> : (r.due?.text ?? "—")) },
      ]}
    />
  );
}

export interface IncidentRowView {
  id: string;
  reference: string;
  name: string;
  status: string;
  severity: string | null;
  started: string;
  due: { text: string; overdue: boolean } | null;
}

/* The admin's incident list: one row per incident, the promise to the public first. */
export function IncidentTable({ rows, caption }: { rows: IncidentRowView[]; caption: string }) {
  if (rows.length === 0) return <p className="text-gray-700">No {caption.toLowerCase()}.</p>;
  return (
    <table className="w-full border-collapse bg-white text-left text-sm">
      <caption className="mb-1 text-left font-semibold">{caption}</caption>
      <thead>
        <tr className="border-b border-gray-300">
          <th scope="col" className="p-2">Incident</th>
          <th scope="col" className="p-2">Status</th>
          <th scope="col" className="p-2">Severity</th>
          <th scope="col" className="p-2">Started</th>
          <th scope="col" className="p-2">Next update</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} className="border-b border-gray-200">
            <td className="p-2">
              <a href={`/admin/incidents/${r.id}`} className="font-medium text-blue-800 underline">
                {r.name}
              </a>
              <div className="text-xs text-gray-700">{r.reference}</div>
            </td>
            <td className="p-2">{r.status}</td>
            <td className="p-2">{r.severity ?? "—"}</td>
            <td className="p-2">{r.started}</td>
            <td className={`p-2 ${r.due?.overdue ? "font-semibold text-red-800" : ""}`}>{r.due?.text ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import type { ComponentRow } from "#lib/core/report-table.ts";
import { DURATION_KINDS } from "#lib/core/measures.ts";
import { DURATION_LABELS, figureText } from "#lib/core/report-table.ts";
import { SEVERITIES } from "#lib/core/statuses.ts";
import { formatDuration } from "#lib/core/time.ts";
import type { ReliabilityDocument } from "#lib/domain/measures.ts";
import { BarChart } from "./bar-chart.tsx";

const SERIES = [
  { name: "This period", color: "#1d4ed8" },
  { name: "Previous period", color: "#93c5fd" },
];

function range(p: { firstDay: string; endDay: string }, last: string) {
  return `${p.firstDay} to ${last}`;
}

/* The reliability report: charts (SVG, no script), then every figure as a table beside the previous period. */
export function ReliabilityReportView({ doc, lastDay, previousLastDay, periodQuery }: { doc: ReliabilityDocument; lastDay: string; previousLastDay: string; periodQuery: string }) {
  const byKey = new Map(doc.figures.map((f) => [f.key, f]));
  const pick = (key: string) => [byKey.get(key)?.current ?? null, byKey.get(key)?.previous ?? null];
  const sections = [...new Set(doc.figures.map((f) => f.section))];
  return (
    <div className="space-y-6">
      <p className="text-sm">
        {range(doc.period, lastDay)} beside {range(doc.previousPeriod, previousLastDay)}, days in {doc.zone}
        {doc.component ? `, ${doc.component.name} only` : ", whole page"}. Maintenance is left out of every incident figure.
      </p>
      <p className="rounded border border-blue-300 bg-blue-50 p-2 text-sm">
        Durations are shown as the median and the 90th percentile with the number of incidents measured, not as means: incident
        durations are skewed, and one long incident moves a mean more than a month of short ones. Every formula is in docs/measures.md.
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        <BarChart
          id="chart-severity"
          title="Incidents by severity"
          description="Number of incidents that began in this period and the previous one, per severity."
          unit=""
          series={SERIES}
          rows={SEVERITIES.map((s) => ({ label: s, values: pick(`incidents.${s}`) }))}
        />
        <BarChart
          id="chart-durations"
          title="Median times from detection (minutes)"
          description="Median minutes from detection to acknowledgement, first public update, mitigation and resolution, this period and the previous one."
          unit="min"
          series={SERIES}
          rows={DURATION_KINDS.map((k) => ({ label: DURATION_LABELS[k].replace("Time to ", "to "), values: pick(`${k}.median`) }))}
        />
        {doc.components.length ? (
          <BarChart
            id="chart-availability"
            title="Availability per component (%)"
            description="Availability of each component this period by the uptime formula."
            unit="%"
            series={SERIES.slice(0, 1)}
            max={100}
            rows={doc.components.map((c) => ({ label: c.name, values: [c.availability] }))}
          />
        ) : null}
      </div>
      {doc.longest ? (
        <p className="text-sm">
          Longest incident: <a href={`/admin/incidents/${doc.longest.id}`} className="text-blue-800 underline">{doc.longest.reference} {doc.longest.name}</a>,{" "}
          {formatDuration(doc.longest.minutes * 60_000)}
          {doc.longest.open ? " and still open" : ""}.
        </p>
      ) : null}
      {sections.map((section) => (
        <table key={section} className="w-full max-w-3xl text-sm" id={`figures-${section.toLowerCase().replace(/\W+/g, "-")}`}>
          <caption className="text-left text-lg font-semibold">{section}</caption>
          <thead>
            <tr className="border-b border-gray-300 text-left">
              <th scope="col">Figure</th>
              <th scope="col" className="text-right">This period</th>
              <th scope="col" className="text-right">Previous period</th>
            </tr>
          </thead>
          <tbody>
            {doc.figures
              .filter((f) => f.section === section)
              .map((f) => (
                <tr key={f.key} data-key={f.key} className="border-b border-gray-100">
                  <th scope="row" className="py-0.5 pr-2 text-left font-normal">{f.label}</th>
                  <td className="text-right tabular-nums" data-current>{figureText(f.current, f.unit)}</td>
                  <td className="text-right tabular-nums text-gray-700" data-previous>{figureText(f.previous, f.unit)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ))}
      <ComponentTable rows={doc.components} periodQuery={periodQuery} />
    </div>
  );
}

function ComponentTable({ rows, periodQuery }: { rows: ComponentRow[]; periodQuery: string }) {
  if (rows.length === 0) return null;
  return (
    <table className="w-full max-w-3xl text-sm" id="figures-components">
      <caption className="text-left text-lg font-semibold">Per component, this period</caption>
      <thead>
        <tr className="border-b border-gray-300 text-left">
          <th scope="col">Component</th>
          <th scope="col" className="text-right">Availability</th>
          <th scope="col" className="text-right">Incidents</th>
          <th scope="col" className="text-right">Customer impact hours</th>
          <th scope="col" className="text-right">Maintenance</th>
          <th scope="col" className="text-right">Time to resolve, median</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-component={c.id} className="border-b border-gray-100">
            <th scope="row" className="py-0.5 pr-2 text-left font-normal">
              <a href={`?${periodQuery ? `${periodQuery}&` : ""}component=${c.id}`} className="text-blue-800 underline">{c.name}</a>
            </th>
            <td className="text-right tabular-nums">{figureText(c.availability, "percent")}</td>
            <td className="text-right tabular-nums">{c.incidents}</td>
            <td className="text-right tabular-nums">{figureText(c.customerImpactHours, "hours")}</td>
            <td className="text-right tabular-nums">{figureText(c.maintenanceMinutes, "minutes")}</td>
            <td className="text-right tabular-nums">{figureText(c.resolveMedianMinutes, "minutes")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

import { ActionForm, type FieldSpec } from "#components/admin/action-form.tsx";
import { AdminSection, EditDetails } from "#components/admin/admin-section.tsx";
import type { MetricRow } from "#db/schema.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { formatMetric } from "#lib/core/metric-charts.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { can } from "#lib/domain/actors.ts";
import { listMetrics } from "#lib/domain/metrics.ts";
import { createMetricAction, deleteMetricAction, editMetricAction } from "./actions.ts";

export const metadata = { title: "Metrics" };

function fields(m?: MetricRow): FieldSpec[] {
  return [
    { name: "name", label: "Name (e.g. API response time)", defaultValue: m?.name },
    { name: "suffix", label: "Unit shown after values (e.g. ms, %)", defaultValue: m?.suffix },
    { name: "decimalPlaces", label: "Decimal places (0–4)", type: "number", defaultValue: String(m?.decimal_places ?? 0) },
    { name: "yAxisMin", label: "Y axis minimum (empty: from the data)", type: "number", defaultValue: m?.y_axis_min?.toString() ?? "" },
    { name: "yAxisMax", label: "Y axis maximum (empty: from the data)", type: "number", defaultValue: m?.y_axis_max?.toString() ?? "" },
    { name: "yAxisHidden", label: "Hide the y axis values", type: "checkbox", defaultValue: m?.y_axis_hidden ? "on" : "" },
    { name: "tooltipDescription", label: "Description shown under the name", type: "textarea", rows: 2, defaultValue: m?.tooltip_description },
    { name: "display", label: "Show on the status page", type: "checkbox", defaultValue: m === undefined || m.display ? "on" : "" },
  ];
}

/* System metrics: what the page charts under the components; points arrive through the APIs. */
export default async function MetricsPage() {
  const { db, actor } = await requireSession("viewer");
  const [metrics, editor] = [await listMetrics(db), can(actor, "editor")];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Metrics</h1>
      <p className="text-sm text-gray-700">
        Charts under the components on the status page (a day, a week, a month). Send points with an API key:{" "}
        <code>POST /api/v1/metrics/&lt;id&gt;/points</code> with <code>{'{"points":[{"timestamp":1764500000,"value":123}]}'}</code>, or
        Statuspage&apos;s <code>…/metrics/&lt;id&gt;/data</code>.
      </p>
      {metrics.length === 0 ? <p>No metrics yet.</p> : null}
      <ul className="space-y-3">
        {metrics.map((m) => (
          <li key={m.id} className="rounded border border-gray-300 bg-white p-3">
            <p className="font-medium">
              {m.name}{" "}
              <span className="text-sm text-gray-700">
                · id <code>{m.id}</code> · {m.display ? "shown" : "hidden"} ·{" "}
                {m.most_recent_data_at ? `latest point ${formatDateTime(m.most_recent_data_at, "Etc/UTC")}` : "no points yet"}
                {m.y_axis_max !== null ? ` · axis up to ${formatMetric(m.y_axis_max, m.decimal_places, m.suffix)}` : ""}
              </span>
            </p>
            {editor ? (
              <EditDetails summary={`Edit ${m.name}`} className="space-y-4">
                <ActionForm
                  action={editMetricAction}
                  submitLabel="Save metric"
                  idPrefix={`metric-${m.id}`}
                  fields={[{ name: "metricId", label: "Metric", type: "hidden", defaultValue: m.id }, ...fields(m)]}
                />
                <ActionForm
                  action={deleteMetricAction}
                  submitLabel={`Delete ${m.name} and its points`}
                  idPrefix={`delete-${m.id}`}
                  danger
                  fields={[{ name: "metricId", label: "Metric", type: "hidden", defaultValue: m.id }]}
                />
              </EditDetails>
            ) : null}
          </li>
        ))}
      </ul>
      {editor ? (
        <AdminSection id="new-metric" title="New metric" boxed>
          <ActionForm action={createMetricAction} submitLabel="Create metric" fields={fields()} />
        </AdminSection>
      ) : null}
    </div>
  );
}

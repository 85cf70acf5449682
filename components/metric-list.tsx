import { chartGeometry, formatMetric, METRIC_PERIODS, type MetricPeriod } from "#lib/core/metric-charts.ts";
import type { PublicMetric } from "#lib/public/metrics.ts";
import { Time } from "./time.tsx";

const PERIODS = Object.keys(METRIC_PERIODS) as MetricPeriod[];

/*
 * System metrics under the components: per metric a line chart drawn on
 * the server as SVG, with the figures in words beside it (latest, average,
 * max) so it reads without the picture and without JavaScript. The period
 * (day, week, month) is chosen with radio buttons that CSS alone answers
 * (globals.css, :has()); a browser without :has() shows all three.
 */
export function MetricList({ metrics, zone }: { metrics: PublicMetric[]; zone: string }) {
  if (metrics.length === 0) return null;
  return (
    <section aria-labelledby="metrics-heading" className="stack">
      <h2 id="metrics-heading">System metrics</h2>
      {metrics.map((m) => (
        <Metric key={m.id} metric={m} zone={zone} />
      ))}
    </section>
  );
}

function Metric({ metric, zone }: { metric: PublicMetric; zone: string }) {
  const format = (v: number) => formatMetric(v, metric.decimalPlaces, metric.suffix);
  const name = `metric-${metric.id}`;
  return (
    <article className="card metric stack" aria-labelledby={`${name}-title`}>
      <div className="metric-head">
        <h3 id={`${name}-title`}>{metric.name}</h3>
        <p className="metric-latest">
          {metric.latest ? (
            <>
              <strong>{format(metric.latest.value)}</strong>{" "}
              <span className="muted small">
                at <Time date={metric.latest.at} zone={zone} timeOnly />
              </span>
            </>
          ) : (
            <span className="muted">No data in the last 30 days</span>
          )}
        </p>
      </div>
      {metric.description ? <p className="muted small">{metric.description}</p> : null}
      <fieldset className="metric-periods">
        <legend className="visually-hidden">Period of the {metric.name} chart</legend>
        {PERIODS.map((p) => (
          <label key={p}>
            <input type="radio" name={name} value={p} defaultChecked={p === "day"} />
            {METRIC_PERIODS[p].short}
          </label>
        ))}
      </fieldset>
      {PERIODS.map((p) => {
        const series = metric.series[p];
        const chart = chartGeometry(series, { min: metric.yAxisMin, max: metric.yAxisMax });
        const summary =
          series.average === null
            ? `No data in the ${METRIC_PERIODS[p].label}.`
            : `${METRIC_PERIODS[p].label[0].toUpperCase()}${METRIC_PERIODS[p].label.slice(1)}: average ${format(series.average)}, lowest ${format(series.min!)}, highest ${format(series.max!)}.`;
        return (
          <figure key={p} className="metric-panel" data-period={p}>
            <svg viewBox={`0 0 ${chart.width} ${chart.height}`} preserveAspectRatio="none" role="img" aria-label={`${metric.name}, ${summary}`} className="metric-chart">
              <line x1="0" y1={chart.height} x2={chart.width} y2={chart.height} className="metric-axis" />
              <path d={chart.line} className="metric-line" vectorEffect="non-scaling-stroke" />
            </svg>
            {metric.yAxisHidden ? null : (
              <div className="metric-scale muted small" aria-hidden="true">
                <span>{format(chart.high)}</span>
                <span>{format(chart.low)}</span>
              </div>
            )}
            <figcaption className="muted small">{summary}</figcaption>
          </figure>
        );
      })}
    </article>
  );
}

import { chartGeometry, formatMetric, METRIC_PERIODS, type MetricPeriod } from "#lib/core/metric-charts.ts";
import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
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
export function MetricList({ metrics, zone, locale }: { metrics: PublicMetric[]; zone: string; locale: Locale }) {
  if (metrics.length === 0) return null;
  return (
    <section aria-labelledby="metrics-heading" className="stack">
      <h2 id="metrics-heading">{translator(locale, "page")("metrics.heading")}</h2>
      {metrics.map((m) => (
        <Metric key={m.id} metric={m} zone={zone} locale={locale} />
      ))}
    </section>
  );
}

function Metric({ metric, zone, locale }: { metric: PublicMetric; zone: string; locale: Locale }) {
  const t = translator(locale, "page");
  const format = (v: number) => formatMetric(v, metric.decimalPlaces, metric.suffix, locale);
  const name = `metric-${metric.id}`;
  const latest = metric.latest;
  return (
    <article className="card metric stack" aria-labelledby={`${name}-title`}>
      <div className="metric-head">
        <h3 id={`${name}-title`}>
          <bdi>{metric.name}</bdi>
        </h3>
        <p className="metric-latest">
          {latest ? (
            <>
              <strong>{format(latest.value)}</strong>{" "}
              <span className="muted small">{t.rich("metrics.at", { time: () => <Time date={latest.at} zone={zone} locale={locale} timeOnly /> })}</span>
            </>
          ) : (
            <span className="muted">{t("metrics.empty.month")}</span>
          )}
        </p>
      </div>
      {metric.description ? <p className="muted small">{metric.description}</p> : null}
      <fieldset className="metric-periods">
        <legend className="visually-hidden">{t("metrics.periods", { metric: metric.name })}</legend>
        {PERIODS.map((p) => (
          <label key={p}>
            <input type="radio" name={name} value={p} defaultChecked={p === "day"} />
            {t(`metrics.period.${p}`)}
          </label>
        ))}
      </fieldset>
      {PERIODS.map((p) => {
        const series = metric.series[p];
        const chart = chartGeometry(series, { min: metric.yAxisMin, max: metric.yAxisMax });
        const summary =
          series.average === null
            ? t(`metrics.empty.${p}`)
            : t("metrics.summary", { range: t(`metrics.range.${p}`), average: format(series.average), lowest: format(series.min!), highest: format(series.max!) });
        return (
          <figure key={p} className="metric-panel" data-period={p}>
            <svg viewBox={`0 0 ${chart.width} ${chart.height}`} preserveAspectRatio="none" role="img" aria-label={t("metrics.chart", { metric: metric.name, summary })} className="metric-chart">
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

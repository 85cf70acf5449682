/*
 * A horizontal bar chart drawn on the server as SVG: no JavaScript, scales
 * to any width, named for screen readers by its title and a description.
 * The same numbers are always in a table beside it.
 */
export interface BarChartProps {
  id: string;
  title: string;
  /** What the chart shows, read by screen readers. */
  description: string;
  unit: string;
  /** One bar per series in each row: e.g. this period and the one before. */
  series: { name: string; color: string }[];
  rows: { label: string; values: (number | null)[] }[];
  /** The axis maximum; default: the largest value. */
  max?: number;
}

const WIDTH = 640;
const LABEL = 200;
const VALUE = 90;
const BAR = 14;
const GAP = 10;

export function BarChart(props: BarChartProps) {
  const values = props.rows.flatMap((r) => r.values).filter((v): v is number => v !== null);
  const max = props.max ?? Math.max(1, ...values);
  const rowHeight = props.series.length * BAR + GAP;
  const legend = 22;
  const height = legend + props.rows.length * rowHeight + GAP;
  const span = WIDTH - LABEL - VALUE;
  return (
    <figure className="my-3">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        className="max-w-full"
        style={{ maxWidth: WIDTH }}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {props.series.map((s, i) => (
          <g key={s.name}>
            <rect x={LABEL + i * 160} y={4} width={12} height={12} fill={s.color} />
            <text x={LABEL + i * 160 + 18} y={14} fontSize={12} fill="#111827">
              {s.name}
            </text>
          </g>
        ))}
        {props.rows.map((row, r) => {
          const top = legend + r * rowHeight;
          return (
            <g key={row.label}>
              <text x={LABEL - 8} y={top + (props.series.length * BAR) / 2 + 4} fontSize={12} textAnchor="end" fill="#111827">
                {row.label}
              </text>
              {row.values.map((v, i) => (
                <g key={props.series[i].name}>
                  <rect x={LABEL} y={top + i * BAR} width={v === null ? 0 : Math.max(1, (v / max) * span)} height={BAR - 2} fill={props.series[i].color} />
                  <text x={LABEL + (v === null ? 0 : (v / max) * span) + 4} y={top + i * BAR + BAR - 4} fontSize={11} fill="#374151">
                    {v === null ? "—" : `${v} ${props.unit}`}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="text-sm text-gray-700">{props.title}</figcaption>
    </figure>
  );
}

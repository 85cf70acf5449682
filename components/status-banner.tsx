import type { Indicator, OverallDescription } from "#lib/core/statuses.ts";
import { indicatorMeta } from "#lib/core/statuses.ts";
import { StatusIcon } from "./status-icon.tsx";
import { Time } from "./time.tsx";

export function StatusBanner({
  overall,
  generatedAt,
  zone,
}: {
  overall: { indicator: Indicator; description: OverallDescription };
  generatedAt: Date;
  zone: string;
}) {
  const meta = indicatorMeta[overall.indicator];
  return (
    <section className="banner" data-indicator={overall.indicator} style={{ borderColor: meta.color }} aria-labelledby="overall">
      <div role="status" className="banner-status">
        <StatusIcon color={meta.color} icon={meta.icon} />
        <h2 id="overall">{overall.description}</h2>
      </div>
      <p className="muted small">
        As of <Time date={generatedAt} zone={zone} />
      </p>
    </section>
  );
}

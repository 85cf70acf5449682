import type { Locale } from "#lib/core/locales.ts";
import { OVERALL_KEYS, translator } from "#lib/core/messages.ts";
import type { Indicator, OverallDescription } from "#lib/core/statuses.ts";
import { indicatorMeta } from "#lib/core/statuses.ts";
import { StatusIcon } from "./status-icon.tsx";
import { Time } from "./time.tsx";

export function StatusBanner({
  overall,
  generatedAt,
  zone,
  locale,
}: {
  overall: { indicator: Indicator; description: OverallDescription };
  generatedAt: Date;
  zone: string;
  locale: Locale;
}) {
  const meta = indicatorMeta[overall.indicator];
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  return (
    <section className="banner" data-indicator={overall.indicator} style={{ borderColor: meta.color }} aria-labelledby="overall">
      <div role="status" className="banner-status">
        <StatusIcon color={meta.color} icon={meta.icon} />
        <h2 id="overall">{common(`overall.${OVERALL_KEYS[overall.description]}`)}</h2>
      </div>
      <p className="muted small">{t.rich("banner.asOf", { time: () => <Time date={generatedAt} zone={zone} locale={locale} /> })}</p>
    </section>
  );
}

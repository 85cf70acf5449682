import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { IncidentCard } from "./incident-card.tsx";

export function MaintenanceList({
  inProgress,
  upcoming,
  zone,
  locale,
  defaultLocale,
}: {
  inProgress: IncidentSummary[];
  upcoming: IncidentSummary[];
  zone: string;
  locale: Locale;
  defaultLocale: Locale;
}) {
  if (inProgress.length === 0 && upcoming.length === 0) return null;
  const t = translator(locale, "page");
  return (
    <>
      {inProgress.length > 0 ? (
        <section aria-labelledby="maintenance-now" className="stack">
          <h2 id="maintenance-now">{t("maintenance.inProgress")}</h2>
          {inProgress.map((m) => (
            <IncidentCard key={m.id} incident={m} zone={zone} locale={locale} defaultLocale={defaultLocale} />
          ))}
        </section>
      ) : null}
      {upcoming.length > 0 ? (
        <section aria-labelledby="maintenance-upcoming" className="stack">
          <h2 id="maintenance-upcoming">{t("maintenance.upcoming")}</h2>
          {upcoming.map((m) => (
            <IncidentCard key={m.id} incident={m} zone={zone} locale={locale} defaultLocale={defaultLocale} />
          ))}
        </section>
      ) : null}
    </>
  );
}

import Link from "next/link";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { formatDay } from "#lib/core/time.ts";
import { IncidentLine } from "./incident-line.tsx";

/** The last days, newest first, each with its incidents or "No incidents reported." */
export function PastIncidents({
  days,
  zone,
  locale,
  defaultLocale,
}: {
  days: { day: string; incidents: IncidentSummary[] }[];
  zone: string;
  locale: Locale;
  defaultLocale: Locale;
}) {
  const t = translator(locale, "page");
  return (
    <section aria-labelledby="past-incidents" className="stack">
      <h2 id="past-incidents">{t("past.heading")}</h2>
      {days.map(({ day, incidents }) => (
        <div key={day} className="past-day">
          <h3>
            <time dateTime={day}>{formatDay(day, locale)}</time>
          </h3>
          {incidents.length === 0 ? (
            <p className="muted small">{t("past.none")}</p>
          ) : (
            incidents.map((incident) => <IncidentLine key={incident.id} incident={incident} zone={zone} locale={locale} defaultLocale={defaultLocale} />)
          )}
        </div>
      ))}
      <p>
        <Link href={localePath(locale, "/history", defaultLocale)}>{t("past.history")}</Link>
      </p>
    </section>
  );
}

import Link from "next/link";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import { impactMeta } from "#lib/core/statuses.ts";
import { formatDuration } from "#lib/core/time.ts";
import { Markdown } from "./markdown.tsx";
import { Time } from "./time.tsx";

/** A past incident or maintenance in a list: name, impact, latest update. */
export function IncidentLine({
  incident,
  zone,
  level = 4,
  locale,
  defaultLocale,
}: {
  incident: IncidentSummary;
  zone: string;
  level?: 3 | 4;
  locale: Locale;
  defaultLocale: Locale;
}) {
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  const Heading = level === 3 ? "h3" : "h4";
  const update = incident.latestUpdate;
  return (
    <article className="incident-line" style={{ borderInlineStartColor: impactMeta[incident.impact].color }}>
      <Heading>
        <Link href={localePath(locale, `/incidents/${incident.id}`, defaultLocale)}>
          <bdi>{incident.name}</bdi>
        </Link>
      </Heading>
      <p className="meta small">
        <span>{common(`impact.${incident.kind === "maintenance" ? "maintenance" : incident.impact}`)}</span>
        <span>{incident.cancelled ? t("incident.cancelled") : common(`updateStatus.${incident.status}`)}</span>
        <span className="muted">{incident.reference}</span>
        {incident.kind === "incident" && incident.resolvedAt ? (
          <span className="muted">{t("incident.lasted", { duration: formatDuration(incident.resolvedAt.getTime() - incident.startedAt.getTime(), locale) })}</span>
        ) : null}
      </p>
      {update ? (
        <div className="small">
          <Markdown html={update.bodyHtml} />
          <p className="muted">
            <Time date={update.displayAt} zone={zone} locale={locale} />
          </p>
        </div>
      ) : null}
    </article>
  );
}

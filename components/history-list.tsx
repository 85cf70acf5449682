import Link from "next/link";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { ComponentRef, IncidentSummary } from "#lib/public/summaries.ts";
import { formatMonth } from "#lib/core/time.ts";
import { IncidentLine } from "./incident-line.tsx";

function pageHref(history: string, page: number, component: ComponentRef | null) {
  const params = new URLSearchParams();
  if (page > 1) params.set("page", String(page));
  if (component) params.set("component", component.id);
  const query = params.toString();
  return query ? `${history}?${query}` : history;
}

/** History by month, with a component filter that works without JavaScript (a GET form). */
export function HistoryList({
  months,
  pageNumber,
  hasNext,
  component,
  components,
  zone,
  locale,
  defaultLocale,
}: {
  months: { month: string; incidents: IncidentSummary[] }[];
  pageNumber: number;
  hasNext: boolean;
  component: ComponentRef | null;
  components: (ComponentRef & { group: string | null })[];
  zone: string;
  locale: Locale;
  defaultLocale: Locale;
}) {
  const t = translator(locale, "page");
  const history = localePath(locale, "/history", defaultLocale);
  return (
    <>
      <form method="get" action={history} className="filter">
        <label htmlFor="component">{t("filter.component")}</label>
        <select id="component" name="component" defaultValue={component?.id ?? ""}>
          <option value="">{t("filter.all")}</option>
          {components.map((c) => (
            <option key={c.id} value={c.id}>
              {c.group ? t("filter.inGroup", { group: c.group, component: c.name }) : c.name}
            </option>
          ))}
        </select>
        <button type="submit">{t("filter.apply")}</button>
      </form>
      {months.length === 0 ? <p className="muted">{component ? t("history.noneFor", { component: component.name }) : t("past.none")}</p> : null}
      {months.map(({ month, incidents }) => (
        <section key={month} aria-labelledby={`month-${month}`} className="stack">
          <h2 id={`month-${month}`}>{formatMonth(month, locale)}</h2>
          {incidents.map((incident) => (
            <IncidentLine key={incident.id} incident={incident} zone={zone} level={3} locale={locale} defaultLocale={defaultLocale} />
          ))}
        </section>
      ))}
      <nav aria-label={t("history.pagination")} className="pagination">
        {pageNumber > 1 ? (
          <Link href={pageHref(history, pageNumber - 1, component)} rel="prev">
            {t("history.newer")}
          </Link>
        ) : (
          <span />
        )}
        <span className="muted small">{t("history.page", { page: pageNumber })}</span>
        {hasNext ? (
          <Link href={pageHref(history, pageNumber + 1, component)} rel="next">
            {t("history.older")}
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </>
  );
}

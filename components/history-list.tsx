import Link from "next/link";
import type { ComponentRef, IncidentSummary } from "#lib/public/summaries.ts";
import { IncidentLine } from "./incident-line.tsx";

function monthLabel(month: string) {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long" }).format(new Date(`${month}-01T00:00:00Z`));
}

function pageHref(page: number, component: ComponentRef | null) {
  const params = new URLSearchParams();
  if (page > 1) params.set("page", String(page));
  if (component) params.set("component", component.id);
  const query = params.toString();
  return query ? `/history?${query}` : "/history";
}

/** History by month, with a component filter that works without JavaScript (a GET form). */
export function HistoryList({
  months,
  pageNumber,
  hasNext,
  component,
  components,
  zone,
}: {
  months: { month: string; incidents: IncidentSummary[] }[];
  pageNumber: number;
  hasNext: boolean;
  component: ComponentRef | null;
  components: (ComponentRef & { group: string | null })[];
  zone: string;
}) {
  return (
    <>
      <form method="get" action="/history" className="filter">
        <label htmlFor="component">Component</label>
        <select id="component" name="component" defaultValue={component?.id ?? ""}>
          <option value="">All components</option>
          {components.map((c) => (
            <option key={c.id} value={c.id}>
              {c.group ? `${c.group} › ${c.name}` : c.name}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      {months.length === 0 ? <p className="muted">No incidents reported{component ? ` for ${component.name}` : ""}.</p> : null}
      {months.map(({ month, incidents }) => (
        <section key={month} aria-labelledby={`month-${month}`} className="stack">
          <h2 id={`month-${month}`}>{monthLabel(month)}</h2>
          {incidents.map((incident) => (
            <IncidentLine key={incident.id} incident={incident} zone={zone} level={3} />
          ))}
        </section>
      ))}
      <nav aria-label="Pagination" className="pagination">
        {pageNumber > 1 ? (
          <Link href={pageHref(pageNumber - 1, component)} rel="prev">
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        <span className="muted small">Page {pageNumber}</span>
        {hasNext ? (
          <Link href={pageHref(pageNumber + 1, component)} rel="next">
            Older →
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </>
  );
}

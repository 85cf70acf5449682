import type { Option } from "./form-fields.tsx";

export interface FilterField {
  name: string;
  label: string;
  value: string | undefined;
  /** A select whose first choice, labelled `any`, means no filter; a text input without. */
  choices?: { any: string; options: readonly Option[] };
}

/* A GET form above an admin list: its fields are the list's query parameters, so a filtered list is a link. */
export function ListFilter({ fields }: { fields: readonly FilterField[] }) {
  const inputClass = "mt-1 block rounded border border-gray-400 bg-white px-2 py-1";
  return (
    <form method="get" className="flex flex-wrap items-end gap-3 rounded border border-gray-300 bg-white p-3 text-sm">
      {fields.map((f) => (
        <label key={f.name}>
          {f.label}
          {f.choices ? (
            <select name={f.name} defaultValue={f.value ?? ""} className={inputClass}>
              <option value="">{f.choices.any}</option>
              {f.choices.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input name={f.name} defaultValue={f.value ?? ""} className={inputClass} />
          )}
        </label>
      ))}
      <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-medium text-white">
        Filter
      </button>
    </form>
  );
}

/** This list's address with the same filters and the given page position; empty parameters are left out. */
export function listHref(filters: Record<string, string | undefined>, position: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...position })) if (value !== undefined && value !== "") query.set(key, String(value));
  return `?${query}`;
}

type PageLink = { href: string; label: string };

/** Links to the neighbouring pages of a long list; either may be missing. */
export function Pager({ previous, next }: { previous?: PageLink | null; next?: PageLink | null }) {
  if (!previous && !next) return null;
  return (
    <nav className="flex justify-between text-sm" aria-label="Pages">
      {previous ? (
        <a href={previous.href} className="text-blue-800 underline">
          {previous.label}
        </a>
      ) : (
        <span />
      )}
      {next ? (
        <a href={next.href} className="text-blue-800 underline">
          {next.label}
        </a>
      ) : null}
    </nav>
  );
}

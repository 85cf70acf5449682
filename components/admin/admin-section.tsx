import type { ReactNode } from "react";

/* A titled part of an admin page, named by its heading for screen readers; `boxed` for a form panel. */
export function AdminSection({ id, title, boxed, children }: { id: string; title: ReactNode; boxed?: boolean; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className={boxed ? "rounded border border-gray-300 bg-white p-4" : undefined}>
      <h2 id={id} className="mb-2 text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/* Controls folded under a summary, so a list of things stays readable. */
export function EditDetails({ summary, className, children }: { summary: ReactNode; className?: string; children: ReactNode }) {
  return (
    <details className="mt-2 text-sm">
      <summary>{summary}</summary>
      <div className={className ? `mt-2 ${className}` : "mt-2"}>{children}</div>
    </details>
  );
}

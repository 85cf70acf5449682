import type { CSSProperties } from "react";
import type { ComponentView, Section } from "#lib/public/status-page.ts";
import { componentStatusMeta } from "#lib/core/statuses.ts";
import { StatusIcon } from "./status-icon.tsx";
import { UptimeBar } from "./uptime-bar.tsx";
import { packDays } from "./uptime-days.ts";

function ComponentStatusText({ status }: { status: ComponentView["status"] }) {
  const meta = componentStatusMeta[status];
  return (
    <span className="component-status">
      <StatusIcon color={meta.color} icon={meta.icon} />
      {meta.label}
    </span>
  );
}

function ComponentRow({ component }: { component: ComponentView }) {
  return (
    <li className="component">
      <div className="component-head">
        <span className="component-name">
          {component.name}
          {component.description ? <span className="muted small component-description">{component.description}</span> : null}
        </span>
        <ComponentStatusText status={component.status} />
      </div>
      {component.uptime ? (
        <UptimeBar
          name={component.name}
          days={packDays(component.uptime.days)}
          ratio={component.uptime.ratio}
        />
      ) : null}
    </li>
  );
}

// The uptime bars' colours, from the one place statuses are defined, as CSS variables.
const dayColors = Object.fromEntries(
  Object.entries(componentStatusMeta).map(([status, meta]) => [`--day-${status}`, meta.color]),
) as CSSProperties;

/** Components in page order; a group is collapsible and shows its worst child's status. */
export function ComponentList({ sections }: { sections: Section[] }) {
  return (
    <section aria-labelledby="components-heading" className="card components" style={dayColors}>
      <h2 id="components-heading" className="visually-hidden">
        Components
      </h2>
      <ul className="component-list">
        {sections.map((section) =>
          section.kind === "group" ? (
            <li key={section.id} className="group">
              <details open>
                <summary>
                  <span className="component-name">
                    {section.name}
                    <span className="muted small"> ({section.components.length})</span>
                  </span>
                  <ComponentStatusText status={section.status} />
                </summary>
                <ul className="component-list nested">
                  {section.components.map((c) => (
                    <ComponentRow key={c.id} component={c} />
                  ))}
                </ul>
              </details>
            </li>
          ) : (
            <ComponentRow key={section.component.id} component={section.component} />
          ),
        )}
      </ul>
    </section>
  );
}

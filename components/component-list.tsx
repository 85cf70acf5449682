import type { CSSProperties } from "react";
import { textDirection, type Locale } from "#lib/core/locales.ts";
import { translator, type Translator } from "#lib/core/messages.ts";
import type { ComponentView, Section } from "#lib/public/status-page.ts";
import { COMPONENT_STATUSES, componentStatusMeta } from "#lib/core/statuses.ts";
import { formatUptime } from "#lib/core/uptime.ts";
import { StatusIcon } from "./status-icon.tsx";
import { UptimeBar, type BarText } from "./uptime-bar.tsx";
import { packDays, type DayWords } from "./uptime-days.ts";

type Words = { locale: Locale; t: Translator<"page">; status: (s: ComponentView["status"]) => string; days: DayWords };

function ComponentStatusText({ status, words }: { status: ComponentView["status"]; words: Words }) {
  const meta = componentStatusMeta[status];
  return (
    <span className="component-status">
      <StatusIcon color={meta.color} icon={meta.icon} />
      {words.status(status)}
    </span>
  );
}

function barText(component: ComponentView, count: number, ratio: number | null, { locale, t, days }: Words): BarText {
  return {
    label: t("uptime.bar", { component: component.name, count }),
    oldest: t("uptime.oldest", { count }),
    figure: ratio === null ? days.noData : t("uptime.figure", { ratio: formatUptime(ratio, locale) }),
    today: t("uptime.today"),
    words: days,
    locale,
    rtl: textDirection(locale) === "rtl",
  };
}

function ComponentRow({ component, words }: { component: ComponentView; words: Words }) {
  return (
    <li className="component">
      <div className="component-head">
        <span className="component-name">
          <bdi>{component.name}</bdi>
          {component.description ? <span className="muted small component-description">{component.description}</span> : null}
        </span>
        <ComponentStatusText status={component.status} words={words} />
      </div>
      {component.uptime ? (
        <UptimeBar
          days={packDays(component.uptime.days, words.days, words.t, words.locale)}
          text={barText(component, component.uptime.days.length, component.uptime.ratio, words)}
        />
      ) : null}
    </li>
  );
}

// The uptime bars' colours, from the one place statuses are defined, as CSS variables.
const dayColors = Object.fromEntries(
  Object.entries(componentStatusMeta).map(([status, meta]) => [`--day-${status}`, meta.color]),
) as CSSProperties;

/** The words of a day in an uptime bar or calendar without a note, in `locale`. */
export function dayWords(locale: Locale): DayWords {
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  return {
    noData: t("uptime.noData"),
    noDowntime: t("uptime.noDowntime"),
    status: Object.fromEntries(COMPONENT_STATUSES.map((s) => [s, common(`componentStatus.${s}`)])) as DayWords["status"],
  };
}

/** Components in page order; a group is collapsible and shows its worst child's status. */
export function ComponentList({ sections, locale }: { sections: Section[]; locale: Locale }) {
  const t = translator(locale, "page");
  const common = translator(locale, "common");
  const status = (s: ComponentView["status"]) => common(`componentStatus.${s}`);
  const words: Words = { locale, t, status, days: dayWords(locale) };
  return (
    <section aria-labelledby="components-heading" className="card components" style={dayColors}>
      <h2 id="components-heading" className="visually-hidden">
        {t("components.heading")}
      </h2>
      <ul className="component-list">
        {sections.map((section) =>
          section.kind === "group" ? (
            <li key={section.id} className="group">
              <details open>
                <summary>
                  <span className="component-name">
                    <bdi>{section.name}</bdi>
                    <span className="muted small"> {t("components.count", { count: section.components.length })}</span>
                  </span>
                  <ComponentStatusText status={section.status} words={words} />
                </summary>
                <ul className="component-list nested">
                  {section.components.map((c) => (
                    <ComponentRow key={c.id} component={c} words={words} />
                  ))}
                </ul>
              </details>
            </li>
          ) : (
            <ComponentRow key={section.component.id} component={section.component} words={words} />
          ),
        )}
      </ul>
    </section>
  );
}

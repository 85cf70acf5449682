import type { Impact, UpdateStatus } from "#db/schema.ts";
import { textDirection, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { incidentUrl, pageUrl } from "#lib/core/page-url.ts";
import { ACTIVE_MAINTENANCE_STATUSES, impactMeta, OPEN_INCIDENT_STATUSES, UPDATE_STATUSES, updateStatusMeta } from "#lib/core/statuses.ts";
import type { Snapshot, Timeline } from "./statuspage-v2.ts";

/*
 * What the in-app widget (public/embed.js) and the Statuspage-compatible
 * frame (/embed/frame) show: the open incidents and the maintenance in
 * progress, each with what a one-line notice needs. A body of its own rather
 * than /api/v2/summary.json: summary carries every component and every
 * update's text (tens of KB on a busy page, polled by every open tab of the
 * customer's product), where the widget needs a few hundred bytes and the
 * latest update's time (its dismissals end when an item posts a newer update).
 */

export interface WidgetItem {
  id: string;
  kind: "incident" | "maintenance";
  name: string;
  status: UpdateStatus;
  /** The status in words, in English ("Identified", "In progress"): the widgets show their locale's (widgetText). */
  status_label: string;
  impact: Impact;
  /** The latest public update's time (the start when there is none yet); a new update changes it. */
  latest_update_at: string;
  url: string;
  /** The components it affects, in page order: the widget's `components` filter matches these. */
  component_ids: string[];
}

export interface WidgetPayload {
  /** `locales`: the languages the page offers, which the widget picks its own from; else `default_locale`. */
  page: { name: string; url: string; default_locale: Locale; locales: Locale[] };
  /** Worst impact first, then the most recently updated. */
  incidents: WidgetItem[];
  /** Most recently updated first. */
  maintenances: WidgetItem[];
}

const OPEN: ReadonlySet<string> = new Set(OPEN_INCIDENT_STATUSES);
const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_MAINTENANCE_STATUSES);

function item(t: Timeline, url: string): WidgetItem {
  const latest = t.updates[0]?.display_at ?? t.started_at ?? t.created_at;
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    status: t.status,
    status_label: updateStatusMeta[t.status].label,
    impact: t.impact,
    latest_update_at: latest.toISOString(),
    url: incidentUrl(url, t.id),
    component_ids: t.componentIds,
  };
}

const byLatest = (a: WidgetItem, b: WidgetItem) => b.latest_update_at.localeCompare(a.latest_update_at) || a.id.localeCompare(b.id);

export function widgetPayload(s: Snapshot): WidgetPayload {
  return {
    page: { name: s.page.name, url: pageUrl(s.page.url), default_locale: s.page.default_locale, locales: s.page.locales },
    incidents: s.incidents
      .filter((t) => OPEN.has(t.status))
      .map((t) => item(t, s.page.url))
      .sort((a, b) => impactMeta[b.impact].rank - impactMeta[a.impact].rank || byLatest(a, b)),
    maintenances: s.maintenances
      .filter((t) => ACTIVE.has(t.status) && t.cancelled_at === null)
      .map((t) => item(t, s.page.url))
      .sort(byLatest),
  };
}

/*
 * The widgets' own words in one locale (/embed/messages.json?locale=…, and
 * the frame's page): templates with `{name}` slots, filled by the widget
 * script and by lib/public/embed-frame.ts, so the browser needs no ICU
 * formatter. A plural message becomes one template per plural category of
 * the locale, with `{count}` where the number goes: the script picks one with
 * Intl.PluralRules, as the translator does.
 */
export interface WidgetText {
  locale: Locale;
  dir: "ltr" | "rtl";
  region: string;
  meta: string;
  dismiss: string;
  maintenance: string;
  allOperational: string;
  incidents: Partial<Record<Intl.LDMLPluralRule, string>>;
  incidentsAndMaintenance: Partial<Record<Intl.LDMLPluralRule, string>>;
  status: Record<UpdateStatus, string>;
}

export function widgetText(locale: Locale): WidgetText {
  const t = translator(locale, "widget");
  const common = translator(locale, "common");
  const rules = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  // A count of each category (counts shown start at 1), formatted, then its number made the slot.
  const plural = (format: (count: number) => string) =>
    Object.fromEntries(
      rules.resolvedOptions().pluralCategories.flatMap((category) => {
        const count = Array.from({ length: 200 }, (_, i) => i + 1).find((n) => rules.select(n) === category);
        return count === undefined ? [] : [[category, format(count).replace(number.format(count), "{count}")]];
      }),
    );
  return {
    locale,
    dir: textDirection(locale),
    region: t("region"),
    meta: t("meta", { status: "{status}", time: "{time}" }),
    dismiss: t("dismiss", { name: "{name}" }),
    maintenance: t("maintenance"),
    allOperational: common("overall.allOperational"),
    incidents: plural((count) => t("incidents", { count })),
    incidentsAndMaintenance: plural((count) => t("incidentsAndMaintenance", { count })),
    status: Object.fromEntries(UPDATE_STATUSES.map((status) => [status, common(`updateStatus.${status}`)])) as Record<UpdateStatus, string>,
  };
}

/** The locale a widget asked for when the page offers it, else the page's default. */
export function offeredLocale(page: { default_locale: Locale; locales: Locale[] }, asked: Locale | null): Locale {
  return asked !== null && page.locales.includes(asked) ? asked : page.default_locale;
}

/** A template's `{name}` slots filled: pieces of text and values, in order. */
export function fillTemplate<V>(template: string, values: Record<string, V>): (string | V)[] {
  return template.split(/\{(\w+)\}/).map((piece, i) => (i % 2 ? values[piece] : piece));
}

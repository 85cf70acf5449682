import { createFormatter, createTranslator, type NamespaceKeys, type NestedKeyOf } from "use-intl/core";
import ar from "#messages/ar.json" with { type: "json" };
import de from "#messages/de.json" with { type: "json" };
import en from "#messages/en.json" with { type: "json" };
import es from "#messages/es.json" with { type: "json" };
import fr from "#messages/fr.json" with { type: "json" };
import ja from "#messages/ja.json" with { type: "json" };
import ptBR from "#messages/pt-BR.json" with { type: "json" };
import zhCN from "#messages/zh-CN.json" with { type: "json" };
import type { OverallDescription } from "./statuses.ts";
import type { Locale } from "./locales.ts";

/*
 * Candor's own words in every locale (messages/<locale>.json, ICU message
 * syntax), through use-intl's core: the engine of next-intl, without its
 * request-scoped locale. Every caller passes the locale it renders for, so a
 * cached page, an email, the widget and a route handler all translate the
 * same way, and "use cache" keys on the locale like any other argument.
 * English is the source: test/unit/messages.test.ts holds every other
 * catalog to its keys and placeholders.
 */
export type Messages = typeof en;
export const MESSAGES: Record<Locale, Messages> = { en, de, fr, es, "pt-BR": ptBR, ja, "zh-CN": zhCN, ar };

export type Namespace = NamespaceKeys<Messages, NestedKeyOf<Messages>>;

export function translator<N extends Namespace>(locale: Locale, namespace: N) {
  return createTranslator<Messages, N>({ locale, messages: MESSAGES[locale], namespace });
}
export type Translator<N extends Namespace> = ReturnType<typeof translator<N>>;

/** Dates, times, numbers and lists in `locale`, in `timeZone` unless a call says otherwise. */
export function formatter(locale: Locale, timeZone: string) {
  return createFormatter({ locale, timeZone });
}

/** The catalog key of each of Statuspage's overall descriptions (which stay English in /api/v2). */
export const OVERALL_KEYS: Record<OverallDescription, keyof Messages["common"]["overall"]> = {
  "All Systems Operational": "allOperational",
  "Major System Outage": "majorOutage",
  "Partial System Outage": "partialOutage",
  "Minor Service Outage": "minorOutage",
  "Degraded System Service": "degraded",
  "Partially Degraded Service": "partiallyDegraded",
  "Service Under Maintenance": "maintenance",
};

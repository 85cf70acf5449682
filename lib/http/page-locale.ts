import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isLocale, localeAlternates, localePath, type Locale } from "#lib/core/locales.ts";
import type { PageInfo } from "#lib/public/summaries.ts";
import { localeSettings } from "#lib/runtime/locale-settings.ts";

/** The locale a public page is rendered in, from its URL (app/[locale]/layout.tsx has checked it; this narrows the type). */
export async function localeParam(params: Promise<{ locale: string }>): Promise<Locale> {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  return locale;
}

/** The feeds every public page links (machine formats: one per site, not per locale). */
export const FEED_LINKS = {
  "application/rss+xml": [{ url: "/history.rss", title: "Incident history (RSS)" }],
  "application/atom+xml": [{ url: "/history.atom", title: "Incident history (Atom)" }],
  "application/feed+json": [{ url: "/feed.json", title: "Incident history (JSON Feed)" }],
  "text/calendar": [{ url: "/maintenance.ics", title: "Scheduled maintenance (iCal)" }],
};

/** A page's canonical URL in its locale, its hreflang alternates in every language offered, and the feeds. */
export function pageAlternates(locale: Locale, path: string, page: PageInfo): Metadata["alternates"] {
  return { ...localeAlternates(locale, path, page.locales, page.defaultLocale), types: FEED_LINKS };
}

/**
 * Where a public form's action sends the reader: `path` in the locale of the
 * page the form was on (its hidden `pageLocale` field; any other value: the default's).
 */
export async function pathInFormLocale(form: FormData, path: string): Promise<string> {
  const { defaultLocale, locales } = await localeSettings();
  const value = form.get("pageLocale");
  const locale = isLocale(value) && locales.includes(value) ? value : defaultLocale;
  return localePath(locale, path, defaultLocale);
}

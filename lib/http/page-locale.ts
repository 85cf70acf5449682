import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isLocale, localeAlternates, type Locale } from "#lib/core/locales.ts";
import type { PageInfo } from "#lib/public/summaries.ts";

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

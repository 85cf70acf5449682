import { notFound } from "next/navigation";
import { isLocale, type Locale } from "#lib/core/locales.ts";

/** The locale a public page is rendered in, from its URL (app/[locale]/layout.tsx has checked it; this narrows the type). */
export async function localeParam(params: Promise<{ locale: string }>): Promise<Locale> {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  return locale;
}

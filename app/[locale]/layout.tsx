import type { Metadata, Viewport } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DEFAULT_LOCALE, isLocale, textDirection } from "#lib/core/locales.ts";
import "../globals.css";
import { FEED_LINKS } from "#lib/http/page-locale.ts";

export const metadata: Metadata = {
  title: { default: "Status", template: "%s" },
  description: "Current status, incidents and scheduled maintenance.",
  // Absolute URLs for canonical links and social cards come from the configured public URL.
  metadataBase: new URL(process.env.PUBLIC_URL ?? "http://localhost:3000"),
  alternates: { types: FEED_LINKS },
  openGraph: { type: "website" },
  twitter: { card: "summary_large_image" },
};

export const viewport: Viewport = {
  colorScheme: "light dark",
  width: "device-width",
  initialScale: 1,
};

/*
 * The public pages' root layout: every public path is under its locale
 * (proxy.ts rewrites the default locale's unprefixed paths here), so the
 * document's language and direction come from the URL. The build renders
 * only the default locale's placeholders (each page's generateStaticParams);
 * every other locale is rendered on its first request and cached like them.
 */
export function generateStaticParams() {
  return [{ locale: DEFAULT_LOCALE }];
}

export default async function PublicLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  return (
    <html lang={locale} dir={textDirection(locale)}>
      <body>{children}</body>
    </html>
  );
}

import type { Metadata } from "next";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import "./globals.css";

const t = translator(DEFAULT_LOCALE, "page");

export const metadata: Metadata = { title: t("notFound.title"), metadataBase: new URL(process.env.PUBLIC_URL ?? "http://localhost:3000") };

/*
 * Any path no route takes (the public pages live under their locale, the
 * admin area has its own root layout). Next prerenders this once; the
 * microcache answers every made-up path with that one copy, so it cannot be
 * in the reader's language: it offers the way back in English.
 */
export default function GlobalNotFound() {
  return (
    <html lang="en">
      <body>
        <main id="main" className="wrap stack-lg not-found">
          <h1>{t("notFound.title")}</h1>
          <p>{t("notFound.text")}</p>
          <p>
            <a href="/">{t("notFound.currentStatus")}</a> · <a href="/history">{t("history.title")}</a>
          </p>
        </main>
      </body>
    </html>
  );
}

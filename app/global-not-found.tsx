import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = { title: "Page not found", metadataBase: new URL(process.env.PUBLIC_URL ?? "http://localhost:3000") };

/*
 * Any path no route takes (the public pages live under their locale, the
 * admin area has its own root layout). Next prerenders this once; the
 * microcache answers every made-up path with that one copy. It cannot know
 * the reader's language, so it offers the way back in English.
 */
export default function GlobalNotFound() {
  return (
    <html lang="en">
      <body>
        <main id="main" className="wrap stack-lg not-found">
          <h1>Page not found</h1>
          <p>There is nothing at this address. The incident may have been removed, or the link mistyped.</p>
          <p>
            <a href="/">Current status</a> · <a href="/history">Incident history</a>
          </p>
        </main>
      </body>
    </html>
  );
}

import Link from "next/link";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

export default function NotFound() {
  const t = translator(DEFAULT_LOCALE, "page");
  return (
    <main id="main" className="wrap stack-lg not-found">
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.text")}</p>
      <p>
        <Link href="/">{t("notFound.currentStatus")}</Link> · <Link href="/history">{t("history.title")}</Link>
      </p>
    </main>
  );
}

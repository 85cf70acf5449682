import Link from "next/link";
import { locale as localeRootParam } from "next/root-params";
import { DEFAULT_LOCALE, isLocale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

/*
 * A page's notFound() in the reader's language (an unknown incident, say):
 * the locale is the root layout's param. Links carry the locale's prefix,
 * which the default locale answers too, so no settings need reading here.
 */
export default async function NotFound() {
  const param: unknown = await localeRootParam();
  const locale = isLocale(param) ? param : DEFAULT_LOCALE;
  const t = translator(locale, "page");
  return (
    <main id="main" className="wrap stack-lg not-found">
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.text")}</p>
      <p>
        <Link href={`/${locale}`}>{t("notFound.currentStatus")}</Link> · <Link href={`/${locale}/history`}>{t("history.title")}</Link>
      </p>
    </main>
  );
}

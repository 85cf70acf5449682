import { LOCALE_NAMES, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

/*
 * The language switcher: plain links through /locale (app/locale/route.ts),
 * which remembers the choice and opens the same page in that language, so
 * it works without JavaScript. A disclosure keeps the header short; each
 * language is named in itself and tagged with its language.
 */
export function LocaleSwitcher({ locale, locales, path }: { locale: Locale; locales: readonly Locale[]; path: string }) {
  if (locales.length < 2) return null;
  const t = translator(locale, "switcher");
  return (
    <details className="locale-switcher">
      <summary>
        <span className="visually-hidden">{t("label")}: </span>
        {LOCALE_NAMES[locale]}
      </summary>
      <ul role="list">
        {locales.map((l) => (
          <li key={l}>
            <a
              href={`/locale?${new URLSearchParams({ to: l, path })}`}
              hrefLang={l}
              lang={l}
              aria-current={l === locale ? "true" : undefined}
            >
              {LOCALE_NAMES[l]}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}

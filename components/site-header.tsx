import Link from "next/link";
import type { ReactNode } from "react";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { PageInfo } from "#lib/public/summaries.ts";
import { LocaleSwitcher } from "./locale-switcher.tsx";

/**
 * The public pages' frame in `locale`: the page's name, links to history, uptime, support and (when on) the report
 * form, the language switcher for `path` (this page without its locale, with the query it reads), the content, a
 * footer. Links stay in the reader's locale (unprefixed for the page's default locale).
 */
export function SiteFrame({ page, locale, path: here, children }: { page: PageInfo; locale: Locale; path: string; children: ReactNode }) {
  const { name, supportUrl, reportsEnabled, defaultLocale } = page;
  const t = translator(locale, "page");
  const path = (p: string) => localePath(locale, p, defaultLocale);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("frame.skip")}
      </a>
      <header className="site-header">
        <div className="wrap site-header-inner">
          <Link href={path("/")} className="site-name">
            {name}
          </Link>
          <nav aria-label={t("frame.nav")}>
            <Link href={path("/history")}>{t("frame.history")}</Link>
            <Link href={path("/uptime")}>{t("frame.uptime")}</Link>
            {supportUrl ? <a href={supportUrl}>{t("frame.support")}</a> : null}
            {reportsEnabled ? <Link href={path("/report")}>{t("frame.report")}</Link> : null}
          </nav>
          <LocaleSwitcher locale={locale} locales={page.locales} path={here} />
        </div>
      </header>
      <main id="main" className="wrap stack-lg">
        {children}
      </main>
      <footer className="wrap site-footer muted small">
        <p>{t("frame.poweredBy")}</p>
      </footer>
    </>
  );
}

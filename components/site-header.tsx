import Link from "next/link";
import type { ReactNode } from "react";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

/**
 * The public pages' frame in `locale`: the page's name, links to history, uptime, support and (when on) the report
 * form, the content, a footer. Links stay in the reader's locale (unprefixed for the page's default locale).
 */
export function SiteFrame({
  name,
  supportUrl,
  reportsEnabled = false,
  locale,
  defaultLocale,
  children,
}: {
  name: string;
  supportUrl: string | null;
  reportsEnabled?: boolean;
  locale: Locale;
  defaultLocale: Locale;
  children: ReactNode;
}) {
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

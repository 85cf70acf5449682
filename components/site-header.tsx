import Link from "next/link";
import type { ReactNode } from "react";

/** The public pages' frame: the page's name, links to history, support and (when on) the report form, the content, a footer. */
export function SiteFrame({
  name,
  supportUrl,
  reportsEnabled = false,
  children,
}: {
  name: string;
  supportUrl: string | null;
  reportsEnabled?: boolean;
  children: ReactNode;
}) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <div className="wrap site-header-inner">
          <Link href="/" className="site-name">
            {name}
          </Link>
          <nav aria-label="Status page">
            <Link href="/history">History</Link>
            <Link href="/uptime">Uptime</Link>
            {supportUrl ? <a href={supportUrl}>Support</a> : null}
            {reportsEnabled ? <Link href="/report">Report a problem</Link> : null}
          </nav>
        </div>
      </header>
      <main id="main" className="wrap stack-lg">
        {children}
      </main>
      <footer className="wrap site-footer muted small">
        <p>Powered by Candor</p>
      </footer>
    </>
  );
}

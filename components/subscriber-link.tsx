import type { ReactNode } from "react";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { PageInfo } from "#lib/public/summaries.ts";
import { SiteFrame } from "./site-header.tsx";

/*
 * The pages a subscriber reaches from a link in an email (confirm, manage,
 * unsubscribe). GET only shows; a button posts the link's token.
 */
export function SubscriberLinkPage({
  page,
  heading,
  locale,
  path,
  children,
}: {
  page: PageInfo;
  heading: string;
  locale: Locale;
  /** This page without its locale, for the language switcher. */
  path: string;
  children: ReactNode;
}) {
  return (
    <SiteFrame page={page} locale={locale} path={path}>
      <h1>{heading}</h1>
      {children}
    </SiteFrame>
  );
}

/** The token is unknown, used or expired: say why and offer a fresh start. */
export function LinkNotValid({ reason, locale, defaultLocale }: { reason?: string; locale: Locale; defaultLocale: Locale }) {
  const t = translator(locale, "page");
  return (
    <p className="card">
      {reason ?? t("link.notValid")} <a href={localePath(locale, "/subscribe", defaultLocale)}>{t("link.subscribeAgain")}</a>
    </p>
  );
}

/** One form, one button: posts the link's token (and whatever `children` add) to `action`. */
export function TokenForm(props: {
  action: (form: FormData) => Promise<void>;
  token: string;
  /** The page's locale: where the action sends the reader back to (lib/http/page-locale.ts pathInFormLocale). */
  locale: Locale;
  submitLabel: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <form action={props.action} className="card stack">
      {props.children}
      <input type="hidden" name="token" value={props.token} />
      <input type="hidden" name="pageLocale" value={props.locale} />
      <SubmitButton>{props.submitLabel}</SubmitButton>
      {props.footer}
    </form>
  );
}

/** The public pages' main button. */
export function SubmitButton({ children }: { children: ReactNode }) {
  return (
    <button type="submit" className="cursor-pointer rounded-md bg-[var(--text)] px-4 py-2 font-semibold text-[var(--bg)]">
      {children}
    </button>
  );
}

import type { ReactNode } from "react";
import { SiteFrame } from "./site-header.tsx";

/*
 * The pages a subscriber reaches from a link in an email (confirm, manage,
 * unsubscribe). GET only shows; a button posts the link's token.
 */
export function SubscriberLinkPage({
  page,
  heading,
  children,
}: {
  page: { name: string; supportUrl: string | null; reportsEnabled: boolean };
  heading: string;
  children: ReactNode;
}) {
  return (
    <SiteFrame name={page.name} supportUrl={page.supportUrl} reportsEnabled={page.reportsEnabled}>
      <h1>{heading}</h1>
      {children}
    </SiteFrame>
  );
}

/** The token is unknown, used or expired: say why and offer a fresh start. */
export function LinkNotValid({ reason = "This link is not valid any more." }: { reason?: string }) {
  return (
    <p className="card">
      {reason} <a href="/subscribe">Subscribe again</a>
    </p>
  );
}

/** One form, one button: posts the link's token (and whatever `children` add) to `action`. */
export function TokenForm(props: { action: (form: FormData) => Promise<void>; token: string; submitLabel: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <form action={props.action} className="card stack">
      {props.children}
      <input type="hidden" name="token" value={props.token} />
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

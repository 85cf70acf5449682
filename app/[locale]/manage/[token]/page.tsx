import type { Metadata } from "next";
import { connection } from "next/server";
import { ComponentChoice } from "#components/subscribe-form.tsx";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { saveComponentsAction } from "./actions.ts";
import { DEFAULT_LOCALE, localePath } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

export const metadata: Metadata = { title: translator(DEFAULT_LOCALE, "page")("manage.title"), robots: { index: false }, referrer: "same-origin" };

/* GET shows the choices; only the form's POST changes anything. */
export default async function ManagePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ confirmed?: string; saved?: string; error?: string }>;
}) {
  await connection();
  const token = tokenFromPath((await params).token);
  const flags = await searchParams;
  const [view, subscription] = await Promise.all([cachedStatusPage(), subscriptions.find(token)]);
  const t = translator(DEFAULT_LOCALE, "page");
  const path = (p: string) => localePath(DEFAULT_LOCALE, p, DEFAULT_LOCALE);
  if (!subscription) {
    return (
      <SubscriberLinkPage page={view.page} heading={t("manage.heading")} locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE}>
        <LinkNotValid locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE} />
      </SubscriberLinkPage>
    );
  }
  return (
    <SubscriberLinkPage page={view.page} heading={t("manage.heading")} locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE}>
      {flags.confirmed ? (
        <p role="status" className="card">
          {t("manage.confirmed", { page: view.page.name, email: subscription.email })}
        </p>
      ) : null}
      {flags.error === "components" ? (
        <p role="alert" className="card">
          {t("manage.componentsGone")}
        </p>
      ) : null}
      {flags.saved ? (
        <p role="status" className="card">
          {t("manage.saved")}
        </p>
      ) : null}
      {subscription.status === "active" ? (
        <TokenForm action={saveComponentsAction} token={token} submitLabel="Save components">
          <p>{t.rich("manage.goesTo", { email: subscription.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
          <ComponentChoice sections={view.sections} selected={subscription.allComponents ? [] : subscription.components} />
        </TokenForm>
      ) : (
        <p className="card">
          {t("manage.stopped", { email: subscription.email, status: subscription.status })} <a href={path("/subscribe")}>{t("link.subscribeAgain")}</a>
        </p>
      )}
      {subscription.status === "active" ? (
        <p>
          <a href={path(`/unsubscribe/${token}`)}>{t("manage.unsubscribeAll")}</a>
        </p>
      ) : null}
    </SubscriberLinkPage>
  );
}

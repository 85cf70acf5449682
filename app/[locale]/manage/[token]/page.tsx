import type { Metadata } from "next";
import { connection } from "next/server";
import { ComponentChoice, LanguageChoice } from "#components/subscribe-form.tsx";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { saveComponentsAction } from "./actions.ts";
import { localePath } from "#lib/core/locales.ts";
import { localeParam } from "#lib/http/page-locale.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  return { title: translator(await localeParam(params), "page")("manage.title"), robots: { index: false }, referrer: "same-origin" };
}

/* GET shows the choices; only the form's POST changes anything. */
export default async function ManagePage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string; token: string }>;
  searchParams: Promise<{ confirmed?: string; saved?: string; error?: string }>;
}) {
  await connection();
  const token = tokenFromPath((await params).token);
  const locale = await localeParam(params);
  const flags = await searchParams;
  const [view, subscription] = await Promise.all([cachedStatusPage(), subscriptions.find(token)]);
  const t = translator(locale, "page");
  const path = (p: string) => localePath(locale, p, view.page.defaultLocale);
  if (!subscription) {
    return (
      <SubscriberLinkPage page={view.page} heading={t("manage.heading")} locale={locale} path={`/manage/${token}`}>
        <LinkNotValid locale={locale} defaultLocale={view.page.defaultLocale} />
      </SubscriberLinkPage>
    );
  }
  return (
    <SubscriberLinkPage page={view.page} heading={t("manage.heading")} locale={locale} path={`/manage/${token}`}>
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
        <TokenForm action={saveComponentsAction} token={token} locale={locale} submitLabel={translator(locale, "subscribe")("save")}>
          <p>{t.rich("manage.goesTo", { email: subscription.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
          <ComponentChoice sections={view.sections} selected={subscription.allComponents ? [] : subscription.components} locale={locale} />
          <LanguageChoice locales={subscription.locales} selected={subscription.locale} label={translator(locale, "subscribe")("emailLanguage")} />
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

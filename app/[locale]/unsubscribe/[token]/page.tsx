import type { Metadata } from "next";
import { connection } from "next/server";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { unsubscribeAction } from "./actions.ts";
import { localePath } from "#lib/core/locales.ts";
import { localeParam } from "#lib/http/page-locale.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  return { title: translator(await localeParam(params), "page")("unsubscribe.heading"), robots: { index: false }, referrer: "same-origin" };
}

/* GET never unsubscribes (link scanners follow links); the button's POST does. */
export default async function UnsubscribePage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string; token: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  await connection();
  const token = tokenFromPath((await params).token);
  const locale = await localeParam(params);
  const { done } = await searchParams;
  const [view, subscription] = await Promise.all([cachedStatusPage(), subscriptions.find(token)]);
  const t = translator(locale, "page");
  const path = (p: string) => localePath(locale, p, view.page.defaultLocale);
  if (!subscription) {
    return (
      <SubscriberLinkPage page={view.page} heading={t("unsubscribe.heading")} locale={locale} path={`/unsubscribe/${token}`}>
        <LinkNotValid locale={locale} defaultLocale={view.page.defaultLocale} />
      </SubscriberLinkPage>
    );
  }
  const active = subscription.status === "active" || subscription.status === "pending";
  return (
    <SubscriberLinkPage page={view.page} heading={t("unsubscribe.heading")} locale={locale} path={`/unsubscribe/${token}`}>
      {active && !done ? (
        <TokenForm
          locale={locale}
          action={unsubscribeAction}
          token={token}
          submitLabel={t("unsubscribe.submit")}
          footer={
            <p className="small">{t.rich("unsubscribe.fewer", { link: (chunks) => <a href={path(`/manage/${token}`)}>{chunks}</a> })}</p>
          }
        >
          <p>{t.rich("unsubscribe.question", { page: view.page.name, email: subscription.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        </TokenForm>
      ) : (
        <p role="status" className="card">
          {t("unsubscribe.done", { email: subscription.email })} <a href={path("/subscribe")}>{t("link.subscribeAgain")}</a>
        </p>
      )}
    </SubscriberLinkPage>
  );
}

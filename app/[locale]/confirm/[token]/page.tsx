import type { Metadata } from "next";
import { connection } from "next/server";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { confirmAction } from "./actions.ts";
import { localeParam } from "#lib/http/page-locale.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  return { title: translator(await localeParam(params), "page")("confirm.submit"), robots: { index: false }, referrer: "same-origin" };
}

/* GET only shows a button: link scanners that follow the link confirm nothing. */
export default async function ConfirmPage({ params }: { params: Promise<{ locale: string; token: string }> }) {
  await connection();
  const token = tokenFromPath((await params).token);
  const locale = await localeParam(params);
  const [view, pending] = await Promise.all([cachedStatusPage(), subscriptions.confirmation(token)]);
  const t = translator(locale, "page");
  return (
    <SubscriberLinkPage page={view.page} heading={t("confirm.heading")} locale={locale} path={`/confirm/${token}`}>
      {pending ? (
        <TokenForm locale={locale} action={confirmAction} token={token} submitLabel={t("confirm.submit")}>
          <p>
            {t.rich("confirm.receive", {
              page: view.page.name,
              address: "email" in pending ? pending.email : pending.endpoint,
              strong: (chunks) => <strong>{chunks}</strong>,
            })}
          </p>
        </TokenForm>
      ) : (
        <LinkNotValid locale={locale} defaultLocale={view.page.defaultLocale} reason={t("confirm.notValid")} />
      )}
    </SubscriberLinkPage>
  );
}

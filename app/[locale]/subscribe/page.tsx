import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { ChannelSubscribeForm, SubscribeForm } from "#components/subscribe-form.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscribeAction, subscribeChannelAction } from "./actions.ts";
import { localeParam } from "#lib/http/page-locale.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ result?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: translator(await localeParam(params), "page")("subscribe.title"), robots: { index: false } };
}

/* What `?result=` says (page.subscribe.result.<key>.title and .text in the catalogs). */
const RESULTS = { sent: "sent", invalid: "invalid", limited: "limited", "channel-sent": "channelSent", "channel-invalid": "channelInvalid", confirmed: "confirmed" } as const;
const isResult = (result: string | undefined): result is keyof typeof RESULTS => result !== undefined && Object.hasOwn(RESULTS, result);

export default async function SubscribePage({ params, searchParams }: Props) {
  await connection();
  const { result } = await searchParams;
  const [locale, view] = await Promise.all([localeParam(params), cachedStatusPage()]);
  const t = translator(locale, "page");
  const message = isResult(result) ? { title: t(`subscribe.result.${RESULTS[result]}.title`), text: t(`subscribe.result.${RESULTS[result]}.text`) } : undefined;
  return (
    <SiteFrame page={view.page} locale={locale} path="/subscribe">
      <h1>{t("subscribe.heading", { page: view.page.name })}</h1>
      {message ? (
        <div role="status" className="card stack">
          <h2>{message.title}</h2>
          <p>{message.text}</p>
        </div>
      ) : null}
      <SubscribeForm sections={view.sections} action={subscribeAction} locales={view.page.locales} locale={locale} defaultLocale={view.page.defaultLocale} />
      <ChannelSubscribeForm action={subscribeChannelAction} locales={view.page.locales} locale={locale} />
    </SiteFrame>
  );
}

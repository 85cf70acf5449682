import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { ChannelSubscribeForm, SubscribeForm } from "#components/subscribe-form.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscribeAction, subscribeChannelAction } from "./actions.ts";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

export const instant = false;

export const metadata: Metadata = { title: translator(DEFAULT_LOCALE, "page")("subscribe.title"), robots: { index: false } };

/* What `?result=` says (page.subscribe.result.<key>.title and .text in the catalogs). */
const RESULTS = { sent: "sent", invalid: "invalid", limited: "limited", "channel-sent": "channelSent", "channel-invalid": "channelInvalid", confirmed: "confirmed" } as const;
const isResult = (result: string | undefined): result is keyof typeof RESULTS => result !== undefined && Object.hasOwn(RESULTS, result);

export default async function SubscribePage({ searchParams }: { searchParams: Promise<{ result?: string }> }) {
  await connection();
  const { result } = await searchParams;
  const view = await cachedStatusPage();
  const t = translator(DEFAULT_LOCALE, "page");
  const message = isResult(result) ? { title: t(`subscribe.result.${RESULTS[result]}.title`), text: t(`subscribe.result.${RESULTS[result]}.text`) } : undefined;
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled={view.page.reportsEnabled} locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE}>
      <h1>{t("subscribe.heading", { page: view.page.name })}</h1>
      {message ? (
        <div role="status" className="card stack">
          <h2>{message.title}</h2>
          <p>{message.text}</p>
        </div>
      ) : null}
      <SubscribeForm sections={view.sections} action={subscribeAction} />
      <ChannelSubscribeForm action={subscribeChannelAction} />
    </SiteFrame>
  );
}

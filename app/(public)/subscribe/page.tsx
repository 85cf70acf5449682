import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { ChannelSubscribeForm, SubscribeForm } from "#components/subscribe-form.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscribeAction, subscribeChannelAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Subscribe to updates", robots: { index: false } };

const messages: Record<string, { title: string; text: string }> = {
  sent: {
    title: "Check your inbox",
    text: "If the address can receive our emails, a confirmation link is on its way. Nothing is sent until you confirm; the link expires in 7 days.",
  },
  invalid: { title: "That doesn't look like an email address", text: "Please check it and try again." },
  limited: { title: "Too many attempts", text: "Please wait a while before trying again." },
  "channel-sent": {
    title: "Check the channel",
    text: "A message with a confirmation link is on its way to that URL. Nothing else is sent there until someone follows the link.",
  },
  "channel-invalid": { title: "That doesn't look like a webhook URL", text: "Please paste the full https:// URL and try again." },
  confirmed: { title: "Confirmed", text: "The channel will receive incident and maintenance updates from now on." },
};

export default async function SubscribePage({ searchParams }: { searchParams: Promise<{ result?: string }> }) {
  await connection();
  const { result } = await searchParams;
  const view = await cachedStatusPage();
  const message = result ? messages[result] : undefined;
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled={view.page.reportsEnabled}>
      <h1>Subscribe to {view.page.name} status updates</h1>
      {message ? (
        <div role="status" className="card stack">
          <h2>{message.title}</h2>
          <p>{message.text}</p>
        </div>
      ) : null}
      <SubscribeForm sections={view.sections} action={subscribeAction} locales={view.page.locales} locale={view.page.defaultLocale} />
      <ChannelSubscribeForm action={subscribeChannelAction} locales={view.page.locales} locale={view.page.defaultLocale} />
    </SiteFrame>
  );
}

import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { unsubscribeAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false }, referrer: "same-origin" };

/* GET never unsubscribes (link scanners follow links); the button's POST does. */
export default async function UnsubscribePage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  await connection();
  const token = tokenFromPath((await params).token);
  const { done } = await searchParams;
  const [view, subscription] = await Promise.all([cachedStatusPage(), subscriptions.find(token)]);
  if (!subscription) {
    return (
      <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl}>
        <h1>Unsubscribe</h1>
        <p className="card">
          This link is not valid any more. <a href="/subscribe">Subscribe again</a>
        </p>
      </SiteFrame>
    );
  }
  const active = subscription.status === "active" || subscription.status === "pending";
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl}>
      <h1>Unsubscribe</h1>
      {active && !done ? (
        <form action={unsubscribeAction} className="card stack">
          <p>
            Stop all {view.page.name} status emails to <strong>{subscription.email}</strong>?
          </p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="cursor-pointer rounded-md bg-[var(--text)] px-4 py-2 font-semibold text-[var(--bg)]">
            Unsubscribe
          </button>
          <p className="small">
            Or <a href={`/manage/${token}`}>choose fewer components</a> instead.
          </p>
        </form>
      ) : (
        <p role="status" className="card">
          You are unsubscribed: no more emails go to {subscription.email}. <a href="/subscribe">Subscribe again</a>
        </p>
      )}
    </SiteFrame>
  );
}

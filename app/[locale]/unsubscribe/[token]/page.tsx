import type { Metadata } from "next";
import { connection } from "next/server";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
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
      <SubscriberLinkPage page={view.page} heading="Unsubscribe">
        <LinkNotValid />
      </SubscriberLinkPage>
    );
  }
  const active = subscription.status === "active" || subscription.status === "pending";
  return (
    <SubscriberLinkPage page={view.page} heading="Unsubscribe">
      {active && !done ? (
        <TokenForm
          action={unsubscribeAction}
          token={token}
          submitLabel="Unsubscribe"
          footer={
            <p className="small">
              Or <a href={`/manage/${token}`}>choose fewer components</a> instead.
            </p>
          }
        >
          <p>
            Stop all {view.page.name} status emails to <strong>{subscription.email}</strong>?
          </p>
        </TokenForm>
      ) : (
        <p role="status" className="card">
          You are unsubscribed: no more emails go to {subscription.email}. <a href="/subscribe">Subscribe again</a>
        </p>
      )}
    </SubscriberLinkPage>
  );
}

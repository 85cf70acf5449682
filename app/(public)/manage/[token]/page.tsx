import type { Metadata } from "next";
import { connection } from "next/server";
import { ComponentChoice, LanguageChoice } from "#components/subscribe-form.tsx";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { saveComponentsAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Manage subscription", robots: { index: false }, referrer: "same-origin" };

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
  if (!subscription) {
    return (
      <SubscriberLinkPage page={view.page} heading="Your subscription">
        <LinkNotValid />
      </SubscriberLinkPage>
    );
  }
  return (
    <SubscriberLinkPage page={view.page} heading="Your subscription">
      {flags.confirmed ? (
        <p role="status" className="card">
          Confirmed: you&apos;ll receive {view.page.name} updates at {subscription.email}.
        </p>
      ) : null}
      {flags.error === "components" ? (
        <p role="alert" className="card">
          Components: one of them is not on this page any more. Nothing was changed; please choose again.
        </p>
      ) : null}
      {flags.saved ? (
        <p role="status" className="card">
          Saved.
        </p>
      ) : null}
      {subscription.status === "active" ? (
        <TokenForm action={saveComponentsAction} token={token} submitLabel="Save">
          <p>
            Updates go to <strong>{subscription.email}</strong>.
          </p>
          <ComponentChoice sections={view.sections} selected={subscription.allComponents ? [] : subscription.components} />
          <LanguageChoice locales={subscription.locales} selected={subscription.locale} />
        </TokenForm>
      ) : (
        <p className="card">
          No emails are sent to {subscription.email} ({subscription.status}). <a href="/subscribe">Subscribe again</a>
        </p>
      )}
      {subscription.status === "active" ? (
        <p>
          <a href={`/unsubscribe/${token}`}>Unsubscribe from all emails</a>
        </p>
      ) : null}
    </SubscriberLinkPage>
  );
}

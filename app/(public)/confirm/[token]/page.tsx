import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";
import { confirmAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Confirm subscription", robots: { index: false }, referrer: "same-origin" };

/* GET only shows a button: link scanners that follow the link confirm nothing. */
export default async function ConfirmPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const token = tokenFromPath((await params).token);
  const [view, pending] = await Promise.all([cachedStatusPage(), subscriptions.confirmation(token)]);
  if (!pending) {
    return (
      <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl}>
        <h1>Confirm your subscription</h1>
        <p className="card">
          This confirmation link is not valid any more: it was used already, replaced by a newer one, or it expired. <a href="/subscribe">Subscribe again</a>
        </p>
      </SiteFrame>
    );
  }
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl}>
      <h1>Confirm your subscription</h1>
      <form action={confirmAction} className="card stack">
        <p>
          Receive {view.page.name} incident and maintenance updates at <strong>{pending.email}</strong>.
        </p>
        <input type="hidden" name="token" value={token} />
        <button type="submit" className="cursor-pointer rounded-md bg-[var(--text)] px-4 py-2 font-semibold text-[var(--bg)]">
          Confirm subscription
        </button>
      </form>
    </SiteFrame>
  );
}

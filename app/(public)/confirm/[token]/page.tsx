import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "../../../../components/SiteHeader.tsx";
import { cachedStatusPage } from "../../../../lib/public-pages.ts";
import { subscriptions } from "../../../../lib/subscribers.ts";
import { confirmAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Confirm subscription", robots: { index: false }, referrer: "no-referrer" };

/* GET only shows a button: link scanners that follow the link confirm nothing. */
export default async function ConfirmPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const [view, pending] = await Promise.all([cachedStatusPage(), subscriptions.confirmation(decodeURIComponent(token))]);
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl}>
      <h1>Confirm your subscription</h1>
      {pending ? (
        <form action={confirmAction} className="card stack">
          <p>
            Receive {view.page.name} incident and maintenance updates at <strong>{pending.email}</strong>.
          </p>
          <input type="hidden" name="token" value={decodeURIComponent(token)} />
          <button type="submit" className="cursor-pointer rounded-md bg-[var(--text)] px-4 py-2 font-semibold text-[var(--bg)]">
            Confirm subscription
          </button>
        </form>
      ) : (
        <div className="card stack">
          <p>This confirmation link is not valid any more: it was used already, replaced by a newer one, or it expired.</p>
          <p>
            <a href="/subscribe">Subscribe again</a>
          </p>
        </div>
      )}
    </SiteFrame>
  );
}

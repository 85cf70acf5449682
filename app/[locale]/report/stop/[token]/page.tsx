import type { Metadata } from "next";
import { connection } from "next/server";
import { SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { reportOptOuts } from "#lib/domain/report-followups.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { reportOptOutAction } from "./actions.ts";

export const instant = false;

export const metadata: Metadata = { title: "Stop emails about my reports", robots: { index: false }, referrer: "same-origin" };

/*
 * The link in a reporter's "it is fixed" email. It works whether or not the
 * report form is still on. GET never changes anything (link scanners follow
 * links); the button's POST does.
 */
export default async function ReportOptOutPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<{ done?: string }> }) {
  await connection();
  const { token } = await params;
  const { done } = await searchParams;
  const [view, found] = await Promise.all([cachedStatusPage(), reportOptOuts.find(token)]);
  const heading = "Stop emails about my reports";
  if (!found) {
    return (
      <SubscriberLinkPage page={view.page} heading={heading}>
        <p className="card">This link is not valid.</p>
      </SubscriberLinkPage>
    );
  }
  return (
    <SubscriberLinkPage page={view.page} heading={heading}>
      {found.optedOut || done ? (
        <p role="status" className="card">
          Done: {view.page.name} will not email {found.email} about problem reports again.
        </p>
      ) : (
        <TokenForm action={reportOptOutAction} token={token} submitLabel="Stop these emails">
          <p>
            When you report a problem and leave your address, {view.page.name} emails you once when it is fixed. Stop these emails to <strong>{found.email}</strong>?
          </p>
        </TokenForm>
      )}
    </SubscriberLinkPage>
  );
}

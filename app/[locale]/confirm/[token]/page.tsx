import type { Metadata } from "next";
import { connection } from "next/server";
import { LinkNotValid, SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
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
  return (
    <SubscriberLinkPage page={view.page} heading="Confirm your subscription">
      {pending ? (
        <TokenForm action={confirmAction} token={token} submitLabel="Confirm subscription">
          <p>
            Receive {view.page.name} incident and maintenance updates at <strong>{"email" in pending ? pending.email : pending.endpoint}</strong>.
          </p>
        </TokenForm>
      ) : (
        <LinkNotValid reason="This confirmation link is not valid any more: it was used already, replaced by a newer one, or it expired." />
      )}
    </SubscriberLinkPage>
  );
}

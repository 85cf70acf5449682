import type { Metadata } from "next";
import { connection } from "next/server";
import { SubscriberLinkPage, TokenForm } from "#components/subscriber-link.tsx";
import { reportOptOuts } from "#lib/domain/report-followups.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { reportOptOutAction } from "./actions.ts";
import { translator } from "#lib/core/messages.ts";
import { localeParam } from "#lib/http/page-locale.ts";

export const instant = false;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  return { title: translator(await localeParam(params), "report")("stop.heading"), robots: { index: false }, referrer: "same-origin" };
}

/*
 * The link in a reporter's "it is fixed" email. It works whether or not the
 * report form is still on. GET never changes anything (link scanners follow
 * links); the button's POST does.
 */
export default async function ReportOptOutPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string; token: string }>;
  searchParams: Promise<{ done?: string }>;
}) {
  await connection();
  const { token } = await params;
  const locale = await localeParam(params);
  const t = translator(locale, "report");
  const { done } = await searchParams;
  const [view, found] = await Promise.all([cachedStatusPage(), reportOptOuts.find(token)]);
  const heading = t("stop.heading");
  if (!found) {
    return (
      <SubscriberLinkPage page={view.page} heading={heading} locale={locale} path={`/report/stop/${token}`}>
        <p className="card">{t("stop.notValid")}</p>
      </SubscriberLinkPage>
    );
  }
  return (
    <SubscriberLinkPage page={view.page} heading={heading} locale={locale} path={`/report/stop/${token}`}>
      {found.optedOut || done ? (
        <p role="status" className="card">
          {t("stop.done", { page: view.page.name, email: found.email })}
        </p>
      ) : (
        <TokenForm locale={locale} action={reportOptOutAction} token={token} submitLabel={t("stop.submit")}>
          <p>{t.rich("stop.question", { page: view.page.name, email: found.email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
        </TokenForm>
      )}
    </SubscriberLinkPage>
  );
}

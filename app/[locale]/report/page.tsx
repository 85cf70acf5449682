import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ReportForm } from "#components/report-form.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { componentChoices } from "#components/subscribe-form.tsx";
import { HONEYPOT_FIELD, problemReports } from "#lib/domain/problem-reports.ts";
import { CHALLENGE_FIELD } from "#lib/domain/report-challenges.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { reportAction } from "./actions.ts";
import { reportAnswerState } from "./answers.ts";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";

/* Blocking render: the form must be complete HTML without JavaScript. */
export const instant = false;

export const metadata: Metadata = { title: "Report a problem", robots: { index: false } };

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const answer = reportAnswerState(await searchParams);
  // Read fresh, not from the cache: turning reports off closes the form at once.
  const { enabled, challenged } = await problemReports.settings();
  if (!enabled) notFound();
  const view = await cachedStatusPage();
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE}>
      <h1>Report a problem</h1>
      <p>Something not working for you? Tell the {view.page.name} team what you see. Reports reach the team only and are never published.</p>
      <ReportForm
        action={reportAction}
        initial={answer}
        groups={componentChoices(view.sections)}
        honeypot={HONEYPOT_FIELD}
        challenge={challenged ? { field: CHALLENGE_FIELD, url: "/report/challenge" } : undefined}
      />
    </SiteFrame>
  );
}

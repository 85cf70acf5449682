import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ReportSection, reportTitle } from "#components/report-section.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { componentChoices } from "#components/subscribe-form.tsx";
import { DEFAULT_LOCALE } from "#lib/core/locales.ts";
import { HONEYPOT_FIELD, problemReports } from "#lib/domain/problem-reports.ts";
import { CHALLENGE_FIELD } from "#lib/domain/report-challenges.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { reportAction } from "./actions.ts";
import { reportAnswerState } from "./answers.ts";

/* Blocking render: the form must be complete HTML without JavaScript. */
export const instant = false;

export const metadata: Metadata = { title: reportTitle(DEFAULT_LOCALE), robots: { index: false } };

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  // Read fresh, not from the cache: turning reports off closes the form at once.
  const { enabled, challenged, defaultLocale: locale } = await problemReports.settings();
  if (!enabled) notFound();
  const answer = reportAnswerState(await searchParams, locale);
  const view = await cachedStatusPage();
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled>
      <ReportSection
        locale={locale}
        pageName={view.page.name}
        action={reportAction}
        initial={answer}
        groups={componentChoices(view.sections)}
        honeypot={HONEYPOT_FIELD}
        challenge={challenged ? { field: CHALLENGE_FIELD, url: "/report/challenge" } : undefined}
      />
    </SiteFrame>
  );
}

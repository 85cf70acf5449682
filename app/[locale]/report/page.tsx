import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ReportSection, reportTitle } from "#components/report-section.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { componentChoices } from "#components/subscribe-form.tsx";
import { localePath } from "#lib/core/locales.ts";
import { HONEYPOT_FIELD, problemReports } from "#lib/domain/problem-reports.ts";
import { CHALLENGE_FIELD } from "#lib/domain/report-challenges.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { localeParam } from "#lib/http/page-locale.ts";
import { reportAction } from "./actions.ts";
import { reportAnswerState } from "./answers.ts";

/* Blocking render: the form must be complete HTML without JavaScript. */
export const instant = false;

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  return { title: reportTitle(await localeParam(params)), robots: { index: false } };
}

export default async function ReportPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const locale = await localeParam(params);
  // Read fresh, not from the cache: turning reports off closes the form at once.
  const { enabled, challenged } = await problemReports.settings();
  if (!enabled) notFound();
  const answer = reportAnswerState(await searchParams, locale);
  const view = await cachedStatusPage();
  return (
    <SiteFrame page={{ ...view.page, reportsEnabled: true }} locale={locale} path="/report">
      <ReportSection
        locale={locale}
        pageName={view.page.name}
        home={localePath(locale, "/", view.page.defaultLocale)}
        action={reportAction}
        initial={answer}
        groups={componentChoices(view.sections)}
        honeypot={HONEYPOT_FIELD}
        challenge={challenged ? { field: CHALLENGE_FIELD, url: localePath(locale, "/report/challenge", view.page.defaultLocale) } : undefined}
      />
    </SiteFrame>
  );
}

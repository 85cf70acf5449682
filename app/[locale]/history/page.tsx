import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HistoryList } from "#components/history-list.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { translator } from "#lib/core/messages.ts";
import { cachedHistoryPage } from "#lib/public/cached.ts";
import { historyQuery } from "#lib/public/history.ts";
import { historySearch } from "#lib/runtime/microcache/keys.ts";
import { localeParam, pageAlternates } from "#lib/http/page-locale.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 */
export const instant = false;

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [locale, view] = await Promise.all([localeParam(params), searchParams.then((q) => cachedHistoryPage(historyQuery.parse(q)))]);
  const t = translator(locale, "page");
  if (!view) return { title: t("history.title") };
  return {
    title: view.component ? t("history.titleFor", { component: view.component.name }) : t("history.title"),
    alternates: pageAlternates(locale, `/history${historySearch(view.pageNumber, view.component?.id ?? null)}`, view.page),
  };
}

export default async function HistoryPage({ params, searchParams }: Props) {
  const query = historyQuery.parse(await searchParams);
  const [locale, view] = await Promise.all([localeParam(params), cachedHistoryPage(query)]);
  if (!view) notFound();
  const t = translator(locale, "page");
  const here = `/history${historySearch(view.pageNumber, view.component?.id ?? null)}`;
  return (
    <SiteFrame page={view.page} locale={locale} path={here}>
      <h1>{view.component ? t("history.titleFor", { component: view.component.name }) : t("history.title")}</h1>
      <HistoryList
        months={view.months}
        pageNumber={view.pageNumber}
        hasNext={view.hasNext}
        component={view.component}
        components={view.components}
        zone={view.page.timeZone}
        locale={locale}
        defaultLocale={view.page.defaultLocale}
      />
    </SiteFrame>
  );
}

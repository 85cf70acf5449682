import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { HistoryList } from "#components/history-list.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { cachedHistoryPage } from "#lib/public/cached.ts";
import { historyQuery } from "#lib/public/history.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 */
export const instant = false;

export const metadata: Metadata = { title: "Incident history" };

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = historyQuery.parse(await searchParams);
  const view = await cachedHistoryPage(query);
  if (!view) notFound();
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled={view.page.reportsEnabled}>
      <h1>Incident history{view.component ? `: ${view.component.name}` : ""}</h1>
      <HistoryList
        months={view.months}
        pageNumber={view.pageNumber}
        hasNext={view.hasNext}
        component={view.component}
        components={view.components}
        zone={view.page.timeZone}
      />
    </SiteFrame>
  );
}

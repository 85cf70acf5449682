import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SiteFrame } from "#components/site-header.tsx";
import { UptimeCalendars } from "#components/uptime-calendar.tsx";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { DEFAULT_LOCALE, localePath } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { PARTIAL_OUTAGE_WEIGHT } from "#lib/core/uptime.ts";
import { cachedUptimePage } from "#lib/public/cached.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 * Reading the query makes it render on request, never at build (`next build`
 * does not read the database).
 */
export const instant = false;

export const metadata: Metadata = { title: translator(DEFAULT_LOCALE, "page")("frame.uptime") };

/* A malformed component is none: the first is shown (lib/runtime/microcache/keys.ts reads it the same way). */
const uptimeQuery = z.object({ component: z.string().regex(PUBLIC_ID).optional().catch(undefined) });

export default async function UptimePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = uptimeQuery.parse(await searchParams);
  const view = await cachedUptimePage(query.component ?? null);
  if (!view) notFound();
  const t = translator(DEFAULT_LOCALE, "page");
  return (
    <SiteFrame
      name={view.page.name}
      supportUrl={view.page.supportUrl}
      reportsEnabled={view.page.reportsEnabled}
      locale={DEFAULT_LOCALE}
      defaultLocale={DEFAULT_LOCALE}
    >
      <h1>{view.shown ? t("uptime.headingFor", { component: view.shown.name }) : t("uptime.heading")}</h1>
      <p className="muted small">{t("uptime.explain", { weight: PARTIAL_OUTAGE_WEIGHT, zone: view.page.timeZone })}</p>
      {view.shown ? (
        <>
          <form method="get" action={localePath(DEFAULT_LOCALE, "/uptime", DEFAULT_LOCALE)} className="filter">
            <label htmlFor="component">{t("filter.component")}</label>
            <select id="component" name="component" defaultValue={view.shown.id}>
              {view.components.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="submit">{t("filter.show")}</button>
          </form>
          <UptimeCalendars component={view.shown} locale={DEFAULT_LOCALE} defaultLocale={DEFAULT_LOCALE} />
        </>
      ) : (
        <p>{t("uptime.noComponents")}</p>
      )}
    </SiteFrame>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SiteFrame } from "#components/site-header.tsx";
import { UptimeCalendars } from "#components/uptime-calendar.tsx";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { localePath } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { PARTIAL_OUTAGE_WEIGHT } from "#lib/core/uptime.ts";
import { cachedUptimePage } from "#lib/public/cached.ts";
import { localeParam, pageAlternates } from "#lib/http/page-locale.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 * Reading the query makes it render on request, never at build (`next build`
 * does not read the database).
 */
export const instant = false;

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const [locale, view] = await Promise.all([localeParam(params), searchParams.then((q) => cachedUptimePage(uptimeQuery.parse(q).component ?? null))]);
  const t = translator(locale, "page");
  if (!view) return { title: t("frame.uptime") };
  return { title: t("frame.uptime"), alternates: pageAlternates(locale, uptimePath(view.shown?.id ?? null), view.page) };
}

const uptimePath = (component: string | null) => (component ? `/uptime?component=${component}` : "/uptime");

/* A malformed component is none: the first is shown (lib/runtime/microcache/keys.ts reads it the same way). */
const uptimeQuery = z.object({ component: z.string().regex(PUBLIC_ID).optional().catch(undefined) });

export default async function UptimePage({ params, searchParams }: Props) {
  const query = uptimeQuery.parse(await searchParams);
  const [locale, view] = await Promise.all([localeParam(params), cachedUptimePage(query.component ?? null)]);
  if (!view) notFound();
  const t = translator(locale, "page");
  return (
    <SiteFrame page={view.page} locale={locale} path={uptimePath(query.component ? (view.shown?.id ?? null) : null)}>
      <h1>{view.shown ? t("uptime.headingFor", { component: view.shown.name }) : t("uptime.heading")}</h1>
      <p className="muted small">{t("uptime.explain", { weight: PARTIAL_OUTAGE_WEIGHT, zone: view.page.timeZone })}</p>
      {view.shown ? (
        <>
          <form method="get" action={localePath(locale, "/uptime", view.page.defaultLocale)} className="filter">
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
          <UptimeCalendars component={view.shown} locale={locale} defaultLocale={view.page.defaultLocale} />
        </>
      ) : (
        <p>{t("uptime.noComponents")}</p>
      )}
    </SiteFrame>
  );
}

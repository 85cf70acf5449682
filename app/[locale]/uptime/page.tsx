import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { SiteFrame } from "#components/site-header.tsx";
import { UptimeCalendars } from "#components/uptime-calendar.tsx";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { cachedUptimePage } from "#lib/public/cached.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 * Reading the query makes it render on request, never at build (`next build`
 * does not read the database).
 */
export const instant = false;

export const metadata: Metadata = { title: "Uptime" };

/* A malformed component is none: the first is shown (lib/runtime/microcache/keys.ts reads it the same way). */
const uptimeQuery = z.object({ component: z.string().regex(PUBLIC_ID).optional().catch(undefined) });

export default async function UptimePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = uptimeQuery.parse(await searchParams);
  const view = await cachedUptimePage(query.component ?? null);
  if (!view) notFound();
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled={view.page.reportsEnabled}>
      <h1>Uptime, last 12 months{view.shown ? `: ${view.shown.name}` : ""}</h1>
      <p className="muted small">
        Availability per month: a minute of major outage counts fully, a minute of partial outage 30 %; maintenance and degraded
        performance count as up. Days are in {view.page.timeZone}. A coloured day had a problem: it links to the incident behind it.
      </p>
      {view.shown ? (
        <>
          <form method="get" action="/uptime" className="filter">
            <label htmlFor="component">Component</label>
            <select id="component" name="component" defaultValue={view.shown.id}>
              {view.components.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <button type="submit">Show</button>
          </form>
          <UptimeCalendars component={view.shown} />
        </>
      ) : (
        <p>No components yet.</p>
      )}
    </SiteFrame>
  );
}

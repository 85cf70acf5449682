import type { Metadata } from "next";
import { connection } from "next/server";
import { SiteFrame } from "#components/site-header.tsx";
import { UptimeCalendars } from "#components/uptime-calendar.tsx";
import { cachedUptimePage } from "#lib/public/cached.ts";

/*
 * Blocking render (no streamed holes): the page must be complete HTML without
 * JavaScript. The data comes from the cache, so this costs a render, not a query.
 * Rendered on request, never at build: `next build` does not read the database.
 */
export const instant = false;

export const metadata: Metadata = { title: "Uptime" };

export default async function UptimePage() {
  await connection();
  const view = await cachedUptimePage();
  return (
    <SiteFrame name={view.page.name} supportUrl={view.page.supportUrl} reportsEnabled={view.page.reportsEnabled}>
      <h1>Uptime, last 12 months</h1>
      <p className="muted small">
        Availability per month: a minute of major outage counts fully, a minute of partial outage 30 %; maintenance and degraded
        performance count as up. Days are in {view.page.timeZone}. A coloured day had a problem: it links to the incident behind it.
      </p>
      {view.components.length ? <UptimeCalendars components={view.components} /> : <p>No components yet.</p>}
    </SiteFrame>
  );
}

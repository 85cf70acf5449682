import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ComponentList } from "#components/component-list.tsx";
import { IncidentCard } from "#components/incident-card.tsx";
import { MaintenanceList } from "#components/maintenance-list.tsx";
import { MetricList } from "#components/metric-list.tsx";
import { PastIncidents } from "#components/past-incidents.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { StatusBanner } from "#components/status-banner.tsx";
import { SubscribeForm } from "#components/subscribe-form.tsx";
import { OVERALL_KEYS, translator } from "#lib/core/messages.ts";
import { cachedStatusPage } from "#lib/public/cached.ts";
import { localeParam, pageAlternates } from "#lib/http/page-locale.ts";
import { subscribeAction } from "../subscribe/actions.ts";

/*
 * `/` lives in an optional catch-all so it can be rendered on its first
 * request and then served whole from the route cache (revalidated by the
 * "public" tag), while `next build` never reads the database: the build only
 * renders a placeholder path, which is a 404. Any other unmatched path is a
 * 404 too, but Next renders each one and writes it into its route cache on
 * disk (`dynamicParams = false` would answer them with the prebuilt 404, and
 * `/` too: it is not among the static params, and listing it would render it
 * at build). So `npm start`'s microcache answers every path that only this
 * route takes with one copy of the not-found page (lib/runtime/microcache/keys.ts
 * unknownPaths); Next sees none of them. Params are awaited outside Suspense
 * so the first request waits for the complete page: full HTML without JavaScript.
 */
type Props = { params: Promise<{ locale: string; slug?: string[] }> };

export function generateStaticParams() {
  return [{ slug: ["placeholder"] }];
}

async function load(params: Props["params"]) {
  const { slug } = await params;
  return slug === undefined || slug.length === 0 ? cachedStatusPage() : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const [locale, view] = await Promise.all([localeParam(params), load(params)]);
  const t = translator(locale, "page");
  if (!view) return { title: t("notFound.title") };
  const overall = translator(locale, "common")(`overall.${OVERALL_KEYS[view.overall.description]}`);
  return {
    title: t("status.title", { page: view.page.name }),
    description: t("status.description", { overall, page: view.page.name }),
    alternates: pageAlternates(locale, "/", view.page),
  };
}

export default async function StatusPage({ params }: Props) {
  const [locale, view] = await Promise.all([localeParam(params), load(params)]);
  if (!view) notFound();
  const zone = view.page.timeZone;
  const defaultLocale = view.page.defaultLocale;
  const t = translator(locale, "page");
  return (
    <SiteFrame page={view.page} locale={locale} path="/">
      <h1 className="visually-hidden">{t("status.title", { page: view.page.name })}</h1>
      <StatusBanner overall={view.overall} generatedAt={view.generatedAt} zone={zone} locale={locale} />
      {view.activeIncidents.length > 0 ? (
        <section aria-labelledby="active-incidents" className="stack">
          <h2 id="active-incidents">{t("status.activeIncidents")}</h2>
          {view.activeIncidents.map((incident) => (
            <IncidentCard key={incident.id} incident={incident} zone={zone} locale={locale} defaultLocale={defaultLocale} />
          ))}
        </section>
      ) : null}
      <MaintenanceList
        inProgress={view.maintenanceInProgress}
        upcoming={view.maintenanceUpcoming}
        zone={zone}
        locale={locale}
        defaultLocale={defaultLocale}
      />
      <ComponentList sections={view.sections} locale={locale} />
      <MetricList metrics={view.metrics} zone={zone} locale={locale} />
      <PastIncidents days={view.pastDays} zone={zone} locale={locale} defaultLocale={defaultLocale} />
      <SubscribeForm sections={view.sections} action={subscribeAction} compact locales={view.page.locales} locale={locale} defaultLocale={defaultLocale} />
    </SiteFrame>
  );
}

import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ComponentList } from "#components/component-list.tsx";
import { HistoryList } from "#components/history-list.tsx";
import { IncidentCard } from "#components/incident-card.tsx";
import { IncidentLine } from "#components/incident-line.tsx";
import { MetricList } from "#components/metric-list.tsx";
import { PastIncidents } from "#components/past-incidents.tsx";
import { SiteFrame } from "#components/site-header.tsx";
import { StatusBanner } from "#components/status-banner.tsx";
import { Timeline } from "#components/timeline.tsx";
import { UptimeCalendars } from "#components/uptime-calendar.tsx";
import { LOCALES, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import type { MetricPeriod, MetricSeries } from "#lib/core/metric-charts.ts";
import type { UptimeDay } from "#lib/core/uptime.ts";
import type { PublicMetric } from "#lib/public/metrics.ts";
import type { Section } from "#lib/public/status-page.ts";
import type { IncidentSummary } from "#lib/public/summaries.ts";
import type { UptimeMonth } from "#lib/public/uptime-page.ts";

/*
 * The public pages' components rendered in other locales: Candor's words
 * translated (plurals by the locale's rules), dates, durations and figures
 * through Intl, what people wrote shown as written, links kept in the
 * reader's locale, and right-to-left hints in Arabic. English output is
 * covered by test/e2e/public.spec.ts and uptime.spec.ts.
 */
const html = (node: React.ReactNode) => renderToStaticMarkup(<>{node}</>);
// Spaces Intl puts between a number and its unit vary (no-break, narrow no-break): compare them as plain spaces.
const text = (markup: string) => markup.replace(/<[^>]+>/g, " ").replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ");

const AT = new Date("2026-11-23T14:05:00Z");
const incident: IncidentSummary = {
  id: "abcdefghijkl",
  reference: "INC-2026-0007",
  kind: "incident",
  name: "Erhöhte Latenz der API",
  status: "identified",
  impact: "major",
  startedAt: new Date("2026-11-23T11:50:00Z"),
  resolvedAt: null,
  nextUpdateDueAt: new Date("2026-11-23T15:00:00Z"),
  scheduledFor: null,
  scheduledUntil: null,
  cancelled: false,
  latestUpdate: { id: "u1", status: "identified", bodyHtml: "<p>We found the cause.</p>", displayAt: AT },
  components: [
    { id: "c1", name: "API" },
    { id: "c2", name: "Dashboard" },
  ],
};
const resolved: IncidentSummary = { ...incident, status: "resolved", resolvedAt: new Date("2026-11-23T14:05:00Z"), nextUpdateDueAt: null };

function uptimeDays(count: number): UptimeDay[] {
  return Array.from({ length: count }, (_, i) => ({
    day: new Date(Date.UTC(2026, 7, 26 + i)).toISOString().slice(0, 10),
    worst: i === count - 2 ? "major_outage" : "operational",
    countedMinutes: 1440,
    majorOutageMinutes: i === count - 2 ? 75 : 0,
    partialOutageMinutes: 0,
    incidents: i === count - 2 ? [{ id: "abcdefghijkl", name: "Erhöhte Latenz der API", impact: "major" }] : [],
  }));
}
const sections = (count: number): Section[] => [
  {
    kind: "group",
    id: "g1",
    name: "Platform",
    description: null,
    status: "major_outage",
    components: [{ id: "c1", name: "API", description: null, status: "major_outage", uptime: { days: uptimeDays(count), ratio: 0.99945 } }],
  },
];

describe("the public components in other locales", () => {
  it("keep the reader's locale in links: unprefixed for the default locale, under its tag otherwise", () => {
    const frame = (locale: Locale, defaultLocale: Locale) =>
      html(
        <SiteFrame
          page={{ name: "Acme", url: "https://status.acme.test", timeZone: "Etc/UTC", supportUrl: null, reportsEnabled: true, defaultLocale, locales: [...LOCALES] }}
          locale={locale}
          path="/history?page=2"
        >
          <p>content</p>
        </SiteFrame>,
      );
    expect(frame("en", "en")).toContain('href="/history"');
    const ja = frame("ja", "en");
    expect(ja).toContain('<a class="site-name" href="/ja">Acme</a>');
    expect(ja).toContain('<a href="/ja/history">履歴</a>');
    expect(ja).toContain('<a href="/ja/report">問題を報告</a>');
    expect(ja).toContain('aria-label="ステータスページ"');
    // The page's default locale is unprefixed even when it is not English.
    expect(frame("de", "de")).toContain('<a href="/uptime">Verfügbarkeit</a>');
    expect(frame("en", "de")).toContain('<a href="/en/uptime">Uptime</a>');
    // The switcher: every language by its own name, tagged, through /locale back to this page.
    expect(ja).toContain('<a href="/locale?to=ar&amp;path=%2Fhistory%3Fpage%3D2" hrefLang="ar" lang="ar">العربية</a>');
    expect(ja).toContain('aria-current="true"');
  });

  it("say the overall status and its time in German, with German dates", () => {
    const banner = html(<StatusBanner overall={{ indicator: "major", description: "Partial System Outage" }} generatedAt={AT} zone="Europe/Berlin" locale="de" />);
    expect(banner).toContain('<h2 id="overall">Teilweiser Systemausfall</h2>');
    expect(banner).not.toContain("Partial System Outage");
    expect(text(banner)).toContain("Stand: 23. Nov. 2026, 15:05 MEZ");
    expect(banner).toContain('dateTime="2026-11-23T15:05:00.000+01:00"');
  });

  it("tell an open incident in German, its name and update as written", () => {
    const card = text(html(<IncidentCard incident={incident} zone="Etc/UTC" locale="de" defaultLocale="en" />));
    expect(card).toContain("Erhöhte Latenz der API");
    expect(card).toContain("We found the cause.");
    expect(card).toContain("Erhebliche Auswirkung");
    expect(card).toContain("Ursache erkannt");
    expect(card).toContain("Betrifft: API und Dashboard");
    expect(card).toContain("Nächstes Update bis 15:00 UTC");
    expect(card).toContain("23. Nov. 2026, 14:05 UTC");
    expect(html(<IncidentCard incident={incident} zone="Etc/UTC" locale="de" defaultLocale="en" />)).toContain('href="/de/incidents/abcdefghijkl"');
  });

  it("give durations in the reader's units", () => {
    expect(text(html(<IncidentLine incident={resolved} zone="Etc/UTC" locale="ja" defaultLocale="en" />))).toContain("所要時間 2 時間 15 分");
    expect(text(html(<IncidentLine incident={resolved} zone="Etc/UTC" locale="de" defaultLocale="en" />))).toContain("Dauer: 2 Std., 15 Min.");
    expect(text(html(<IncidentLine incident={resolved} zone="Etc/UTC" locale="en" defaultLocale="en" />))).toContain("lasted 2 hr, 15 min");
  });

  it("date past days in the reader's calendar words", () => {
    const past = (locale: Locale) => html(<PastIncidents days={[{ day: "2026-11-23", incidents: [] }]} zone="Etc/UTC" locale={locale} defaultLocale="en" />);
    expect(past("de")).toContain('<time dateTime="2026-11-23">23. Nov. 2026</time>');
    expect(past("de")).toContain("Keine Vorfälle gemeldet.");
    expect(past("ja")).toContain("2026年11月23日");
    expect(past("ar")).toContain('<a href="/ar/history">سجل الحوادث ←</a>');
  });

  it("count with the locale's plural rules", () => {
    const legend = (locale: Locale, days: number) => html(<ComponentList sections={sections(days)} locale={locale} />);
    expect(legend("en", 90)).toContain("90 days ago");
    expect(legend("en", 1)).toContain("1 day ago");
    expect(legend("de", 90)).toContain("vor 90 Tagen");
    expect(legend("de", 1)).toContain("vor 1 Tag");
    expect(legend("ar", 90)).toContain("قبل 90 يومًا");
    expect(legend("ar", 2)).toContain("قبل يومين");
    expect(legend("ar", 5)).toContain("قبل 5 أيام");
    expect(legend("ja", 90)).toContain("90 日前");
    expect(html(<ComponentList sections={sections(90)} locale="fr" />)).toContain("(1)");
  });

  it("say in Arabic that the uptime bar's oldest day is at the right", () => {
    const ar = html(<ComponentList sections={sections(90)} locale="ar" />);
    expect(ar).toMatch(/aria-label="API: الحالة اليومية لآخر 90 يومًا، والأقدم على اليمين"/);
    expect(html(<ComponentList sections={sections(90)} locale="en" />)).toContain('aria-label="API: daily status over the last 90 days, oldest on the left"');
    expect(ar).toContain("انقطاع كبير");
    // The bad day's lines, resolved on the server: outage minutes as a duration, the incident as written.
    const de = text(html(<ComponentList sections={sections(90)} locale="de" />));
    expect(de).toContain("22. Nov. 2026 Schwerer Ausfall 1 Std., 15 Min. Vorfälle: Erhöhte Latenz der API");
    expect(de).toContain("99,94 % Verfügbarkeit");
  });

  it("keep the rule at the line's start: logical properties, never left or right", () => {
    const markup = [
      html(<IncidentCard incident={incident} zone="Etc/UTC" locale="ar" defaultLocale="en" />),
      html(<IncidentLine incident={incident} zone="Etc/UTC" locale="ar" defaultLocale="en" />),
      html(<Timeline entries={[]} zone="Etc/UTC" locale="ar" />),
    ].join("");
    expect(markup).toContain("border-inline-start-color");
    expect(markup).not.toMatch(/(border|margin|padding)-(left|right)|text-align:\s*(left|right)/);
  });

  it("isolate what people wrote, so an English name or update keeps its own direction on an Arabic page", () => {
    const card = html(<IncidentCard incident={incident} zone="Etc/UTC" locale="ar" defaultLocale="en" />);
    expect(card).toContain("<bdi>Erhöhte Latenz der API</bdi>");
    expect(card).toContain('<div class="prose" dir="auto"><p>We found the cause.</p></div>');
    expect(html(<ComponentList sections={sections(90)} locale="ar" />)).toContain("<bdi>Platform</bdi>");
  });

  it("tell component changes with translated statuses and the reader's arrow", () => {
    const entry = {
      id: "u1",
      status: "identified" as const,
      bodyHtml: "<p>Fix deployed.</p>",
      displayAt: AT,
      changes: [{ component_id: "c1", component_name: "API", group_name: null, old_status: "operational" as const, new_status: "major_outage" as const }],
    };
    expect(text(html(<Timeline entries={[entry]} zone="Etc/UTC" locale="fr" />))).toContain("API : Opérationnel → Panne majeure");
    expect(text(html(<Timeline entries={[entry]} zone="Etc/UTC" locale="ar" />))).toContain("API: يعمل ← انقطاع كبير");
  });

  it("paginate and filter history in the reader's locale", () => {
    const history = html(
      <HistoryList
        months={[{ month: "2026-03", incidents: [] }]}
        pageNumber={2}
        hasNext
        component={null}
        components={[{ id: "c1", name: "API", group: "Platform" }]}
        zone="Etc/UTC"
        locale="ar"
        defaultLocale="en"
      />,
    );
    expect(history).toContain('action="/ar/history"');
    expect(history).toContain('<a rel="prev" href="/ar/history">→ الأحدث</a>');
    expect(history).toContain('<a rel="next" href="/ar/history?page=3">الأقدم ←</a>');
    expect(history).toContain("الصفحة 2");
    expect(history).toContain("Platform ‹ API");
    expect(html(<HistoryList months={[{ month: "2026-03", incidents: [] }]} pageNumber={1} hasNext={false} component={null} components={[]} zone="Etc/UTC" locale="pt-BR" defaultLocale="en" />)).toContain(
      "março de 2026",
    );
  });

  it("label calendars with the reader's weekdays and months", () => {
    const month: UptimeMonth = {
      month: "2026-03",
      availability: 0.9995,
      days: Array.from({ length: 31 }, (_, i) => ({
        day: `2026-03-${String(i + 1).padStart(2, "0")}`,
        worst: i === 30 ? "partial_outage" : "operational",
        majorOutageMinutes: 0,
        partialOutageMinutes: i === 30 ? 29 : 0,
        incidents: i === 30 ? [{ id: "abcdefghijkl", name: "Elevated API error rates" }] : [],
      })),
    };
    const de = html(<UptimeCalendars component={{ id: "c1", name: "API", months: [month] }} locale="de" defaultLocale="en" />);
    expect(de).toContain('abbr="Mo"');
    expect(de).toContain("März 2026");
    expect(text(de)).toContain("März 2026 99,95 %");
    expect(de.replace(/[\u00a0\u202f]/g, " ")).toContain('aria-label="31. März 2026, Teilausfall 29 Min., Vorfälle: Elevated API error rates"');
    expect(de).toContain('href="/de/incidents/abcdefghijkl"');
    const zh = html(<UptimeCalendars component={{ id: "c1", name: "API", months: [month] }} locale="zh-CN" defaultLocale="en" />);
    expect(zh).toContain("2026年3月");
    expect(zh).toContain('abbr="周一"');
  });

  it("describe metric charts in words, figures in the reader's format", () => {
    const series = (period: MetricPeriod): MetricSeries => ({
      period,
      from: new Date("2026-11-22T14:00:00Z"),
      to: AT,
      points: [{ at: new Date("2026-11-23T13:00:00Z"), value: 1234.5 }],
      average: 1234.5,
      min: 1000,
      max: 1500.25,
    });
    const metric: PublicMetric = {
      id: "m1",
      name: "API-Antwortzeit",
      suffix: "ms",
      decimalPlaces: 1,
      yAxisMin: null,
      yAxisMax: null,
      yAxisHidden: true,
      description: "",
      latest: { at: AT, value: 1234.5 },
      series: { day: series("day"), week: series("week"), month: series("month") },
    };
    const de = html(<MetricList metrics={[metric]} zone="Etc/UTC" locale="de" />);
    expect(de).toContain("Systemmetriken");
    expect(de).toContain("<strong>1.234,5 ms</strong>");
    expect(de).toContain("Letzte 24 Stunden: Durchschnitt 1.234,5 ms, Minimum 1.000,0 ms, Maximum 1.500,3 ms.");
    expect(de).toContain(">Woche</label>");
  });

  it("have every public word in every locale (no English left in German, Japanese or Arabic)", () => {
    for (const locale of LOCALES.filter((l) => l !== "en")) {
      const page = text(html(<ComponentList sections={sections(90)} locale={locale} />));
      expect(page, locale).not.toMatch(/days ago|uptime|No downtime|Major outage/);
    }
  });

  it("tell subscribers where their emails go, with the subscriber status in words and links inside the sentence", () => {
    const de = translator("de", "page");
    expect(de("manage.stopped", { email: "a@example.com", status: "bounced" })).toBe("An a@example.com werden keine E-Mails gesendet (unzustellbar).");
    expect(translator("ja", "page")("manage.stopped", { email: "a@example.com", status: "unsubscribed" })).toBe("a@example.com にはメールを送信していません(購読解除済み)。");
    const fewer = html(<p>{de.rich("unsubscribe.fewer", { link: (chunks) => <a href="/de/manage/t">{chunks}</a> })}</p>);
    expect(fewer).toBe('<p>Oder stattdessen <a href="/de/manage/t">weniger Komponenten wählen</a>.</p>');
  });
});

import type { CSSProperties } from "react";
import { localePath, type Locale } from "#lib/core/locales.ts";
import { translator, type Translator } from "#lib/core/messages.ts";
import { componentStatusMeta } from "#lib/core/statuses.ts";
import { formatDay, formatMonth } from "#lib/core/time.ts";
import { formatUptime } from "#lib/core/uptime.ts";
import type { UptimeCalendarDay, UptimeMonth } from "#lib/public/uptime-page.ts";
import { dayWords } from "./component-list.tsx";
import { dayLines, type DayWords } from "./uptime-days.ts";

const CODES = { operational: "o", degraded_performance: "d", partial_outage: "p", major_outage: "m", under_maintenance: "u" } as const;
const dayColors = Object.fromEntries(Object.entries(componentStatusMeta).map(([status, meta]) => [`--day-${status}`, meta.color])) as CSSProperties;

/** Monday-first weekday (0–6). */
function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** Monday to Sunday in `locale`: the column's abbreviation and its one-letter head (2024-01-01 was a Monday). */
function weekdays(locale: Locale): { abbr: string; head: string }[] {
  const abbr = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short" });
  const head = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "narrow" });
  return Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i))).map((d) => ({ abbr: abbr.format(d), head: head.format(d) }));
}

/** A day worth a look: downtime, a status worse than operational, or an incident. */
function isBad(d: UptimeCalendarDay): boolean {
  return (d.worst !== null && d.worst !== "operational") || d.incidents.length > 0;
}

interface Words {
  locale: Locale;
  defaultLocale: Locale;
  t: Translator<"page">;
  days: DayWords;
}

/** What a bad day says in words (its cell's accessible name): its date, then what the uptime bar says of it. */
function dayText(d: UptimeCalendarDay, { locale, t, days }: Words): string {
  return [formatDay(d.day, locale), ...dayLines(d, days, t, locale)].join(t("uptime.separator"));
}

function MonthCalendar({ id, month, words }: { id: string; month: UptimeMonth; words: Words }) {
  const { locale, t } = words;
  const incidentHref = (incident: string) => localePath(locale, `/incidents/${incident}`, words.defaultLocale);
  const lead = weekdayOf(month.days[0].day);
  // The first month may start mid-month (the window's first day): blanks up to its first day's weekday.
  const firstDate = Number(month.days[0].day.slice(8));
  const cells: (UptimeCalendarDay | null)[] = [...Array.from({ length: lead }, () => null), ...month.days];
  const weeks = Array.from({ length: Math.ceil(cells.length / 7) }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const bad = month.days.filter(isBad);
  const digits = new Intl.NumberFormat(locale);
  return (
    <div className="uptime-month">
      <table className="uptime-calendar" aria-describedby={bad.length ? `${id}-bad` : undefined}>
        <caption>
          <span className="uptime-month-name">{formatMonth(month.month, locale)}</span>{" "}
          <span className="uptime-month-figure">{month.availability === null ? words.days.noData : formatUptime(month.availability, locale)}</span>
          {firstDate > 1 ? <span className="visually-hidden"> {t("calendar.fromDay", { day: firstDate })}</span> : null}
        </caption>
        <thead>
          <tr>
            {weekdays(locale).map((w) => (
              <th key={w.abbr} scope="col" abbr={w.abbr}>
                {w.head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, w) => (
            <tr key={w}>
              {/* Index keys: a static week; a day's date as key would cost every cell's bytes in the page's payload. */}
              {week.map((d, i) =>
                d === null ? (
                  <td key={i} />
                ) : (
                  <td key={i} className={d.worst ? (d.worst === "operational" ? undefined : CODES[d.worst]) : "n"}>
                    {isBad(d) && d.incidents.length ? (
                      <a href={incidentHref(d.incidents[0].id)} aria-label={dayText(d, words)}>
                        {digits.format(Number(d.day.slice(8)))}
                      </a>
                    ) : isBad(d) ? (
                      <span aria-label={dayText(d, words)}>{digits.format(Number(d.day.slice(8)))}</span>
                    ) : (
                      digits.format(Number(d.day.slice(8)))
                    )}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {bad.length ? (
        <ul id={`${id}-bad`} className="uptime-bad-days small">
          {bad.map((d) => (
            <li key={d.day}>
              {t("calendar.badDay", { day: formatDay(d.day, locale), status: d.worst ? words.days.status[d.worst] : words.days.noData })}
              {d.incidents.map((i) => (
                <span key={i.id}>
                  {" · "}
                  <a href={incidentHref(i.id)}>
                    <bdi>{i.name}</bdi>
                  </a>
                </span>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/* One component's last twelve months: a calendar per month, its availability in the caption, the bad days listed with their incidents. */
export function UptimeCalendars({
  component,
  locale,
  defaultLocale,
}: {
  component: { id: string; name: string; months: UptimeMonth[] };
  locale: Locale;
  defaultLocale: Locale;
}) {
  const words: Words = { locale, defaultLocale, t: translator(locale, "page"), days: dayWords(locale) };
  return (
    <section aria-labelledby={`uptime-${component.id}`} className="card" style={dayColors}>
      <h2 id={`uptime-${component.id}`}>
        <bdi>{component.name}</bdi>
      </h2>
      <div className="uptime-months">
        {[...component.months].reverse().map((m) => (
          <MonthCalendar key={m.month} id={`uptime-${component.id}-${m.month}`} month={m} words={words} />
        ))}
      </div>
    </section>
  );
}

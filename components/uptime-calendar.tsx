import type { CSSProperties } from "react";
import { componentStatusMeta } from "#lib/core/statuses.ts";
import { formatDay } from "#lib/core/time.ts";
import { formatUptime } from "#lib/core/uptime.ts";
import type { UptimeCalendarDay, UptimeMonth } from "#lib/public/uptime-page.ts";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const CODES = { operational: "o", degraded_performance: "d", partial_outage: "p", major_outage: "m", under_maintenance: "u" } as const;
const dayColors = Object.fromEntries(Object.entries(componentStatusMeta).map(([status, meta]) => [`--day-${status}`, meta.color])) as CSSProperties;

/** Monday-first weekday (0–6). */
function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

function monthLabel(month: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "long" }).format(new Date(`${month}-01T00:00:00Z`));
}

/** A day worth a look: downtime, a status worse than operational, or an incident. */
function isBad(d: UptimeCalendarDay): boolean {
  return (d.worst !== null && d.worst !== "operational") || d.incidents.length > 0;
}

/** What a bad day says in words (its cell's accessible name). */
function dayText(d: UptimeCalendarDay): string {
  const parts = [formatDay(d.day), d.worst ? componentStatusMeta[d.worst].label : "No data"];
  if (d.majorOutageMinutes) parts.push(`major outage ${d.majorOutageMinutes} min`);
  if (d.partialOutageMinutes) parts.push(`partial outage ${d.partialOutageMinutes} min`);
  parts.push(...d.incidents.map((i) => i.name));
  return parts.join(", ");
}

function MonthCalendar({ id, month }: { id: string; month: UptimeMonth }) {
  const lead = weekdayOf(month.days[0].day);
  // The first month may start mid-month (the window's first day): blanks up to its first day's weekday.
  const firstDate = Number(month.days[0].day.slice(8));
  const cells: (UptimeCalendarDay | null)[] = [...Array.from({ length: lead }, () => null), ...month.days];
  const weeks = Array.from({ length: Math.ceil(cells.length / 7) }, (_, w) => cells.slice(w * 7, w * 7 + 7));
  const bad = month.days.filter(isBad);
  return (
    <div className="uptime-month">
      <table className="uptime-calendar" aria-describedby={bad.length ? `${id}-bad` : undefined}>
        <caption>
          <span className="uptime-month-name">{monthLabel(month.month)}</span> <span className="uptime-month-figure">{formatUptime(month.availability)}</span>
          {firstDate > 1 ? <span className="visually-hidden"> (from day {firstDate})</span> : null}
        </caption>
        <thead>
          <tr>
            {WEEKDAYS.map((w) => (
              <th key={w} scope="col" abbr={w}>
                {w[0]}
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
                      <a href={`/incidents/${d.incidents[0].id}`} aria-label={dayText(d)}>
                        {Number(d.day.slice(8))}
                      </a>
                    ) : isBad(d) ? (
                      <span aria-label={dayText(d)}>{Number(d.day.slice(8))}</span>
                    ) : (
                      Number(d.day.slice(8))
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
              {formatDay(d.day)}: {d.worst ? componentStatusMeta[d.worst].label.toLowerCase() : "no data"}
              {d.incidents.map((i) => (
                <span key={i.id}>
                  {" · "}
                  <a href={`/incidents/${i.id}`}>{i.name}</a>
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
export function UptimeCalendars({ component }: { component: { id: string; name: string; months: UptimeMonth[] } }) {
  return (
    <section aria-labelledby={`uptime-${component.id}`} className="card" style={dayColors}>
      <h2 id={`uptime-${component.id}`}>{component.name}</h2>
      <div className="uptime-months">
        {[...component.months].reverse().map((m) => (
          <MonthCalendar key={m.month} id={`uptime-${component.id}-${m.month}`} month={m} />
        ))}
      </div>
    </section>
  );
}

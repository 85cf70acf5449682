import type { UptimeDay } from "../lib/status-page.ts";
import { componentStatusMeta } from "../lib/statuses.ts";
import { formatDay } from "../lib/time.ts";
import { formatUptime } from "../lib/uptime.ts";

const NO_DATA = "#9ca3af";

function minutes(n: number) {
  return `${Math.round(n)} min`;
}

/*
 * One segment per day. Each segment is focusable and holds its details as
 * text: visually hidden until hover, focus or tap (CSS only), read by screen
 * readers and present without JavaScript.
 */
export function UptimeBar({ name, days, ratio }: { name: string; days: UptimeDay[]; ratio: number | null }) {
  return (
    <div className="uptime">
      <ol className="uptime-bar" aria-label={`${name}: daily status, last ${days.length} days`}>
        {days.map((day) => {
          const color = day.worst ? componentStatusMeta[day.worst].color : NO_DATA;
          const down = day.majorOutageMinutes > 0 || day.partialOutageMinutes > 0;
          return (
            <li key={day.day} tabIndex={0} className="uptime-day" style={{ backgroundColor: color }}>
              <span className="uptime-tip">
                <strong>{formatDay(day.day)}</strong>
                {day.worst === null ? (
                  <span>No data</span>
                ) : down ? (
                  <>
                    {day.majorOutageMinutes > 0 ? <span>Major outage {minutes(day.majorOutageMinutes)}</span> : null}
                    {day.partialOutageMinutes > 0 ? <span>Partial outage {minutes(day.partialOutageMinutes)}</span> : null}
                  </>
                ) : (
                  <span>{day.worst === "operational" ? "No downtime recorded" : componentStatusMeta[day.worst].label}</span>
                )}
                {day.incidents.length > 0 ? (
                  <span>Incidents: {day.incidents.map((i) => i.name).join("; ")}</span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="uptime-legend small muted">
        <span>{days.length} days ago</span>
        <span>{formatUptime(ratio)} uptime</span>
        <span>Today</span>
      </p>
    </div>
  );
}

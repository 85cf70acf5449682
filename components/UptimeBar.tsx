"use client";

import type { ComponentStatus } from "../lib/status-page.ts";
import { componentStatusMeta } from "../lib/statuses.ts";
import { formatDay } from "../lib/time.ts";
import { formatUptime } from "../lib/uptime.ts";

/**
 * One day as the bar needs it: [day, worst status, major outage minutes,
 * partial outage minutes, incident names]. A tuple, because 90 days × every
 * component travel in the page's payload.
 */
export type DaySummary = [day: string, worst: ComponentStatus | null, major: number, partial: number, incidents: string[]];

function details(worst: ComponentStatus | null, major: number, partial: number): string[] {
  if (worst === null) return ["No data"];
  const lines: string[] = [];
  if (major > 0) lines.push(`Major outage ${major} min`);
  if (partial > 0) lines.push(`Partial outage ${partial} min`);
  if (lines.length === 0) lines.push(worst === "operational" ? "No downtime recorded" : componentStatusMeta[worst].label);
  return lines;
}

/*
 * One segment per day. Each segment is focusable and holds its details as
 * text: visually hidden until hover, focus or tap (CSS only), read by screen
 * readers and present in the server-rendered HTML, so it works without
 * JavaScript. A client component only to keep the page's payload small.
 */
export function UptimeBar({ name, days, ratio }: { name: string; days: DaySummary[]; ratio: number | null }) {
  return (
    <div className="uptime">
      <ol className="uptime-bar" aria-label={`${name}: daily status, last ${days.length} days`}>
        {days.map(([day, worst, major, partial, incidents]) => (
          <li key={day} tabIndex={0} className={`uptime-day day-${worst ?? "none"}`}>
            <span className="uptime-tip">
              <strong>{formatDay(day)}</strong>
              {details(worst, major, partial).map((line) => (
                <span key={line}>{line}</span>
              ))}
              {incidents.length > 0 ? <span>{`Incidents: ${incidents.join("; ")}`}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      <p className="uptime-legend small muted">
        <span>{`${days.length} days ago`}</span>
        <span>{`${formatUptime(ratio)} uptime`}</span>
        <span>Today</span>
      </p>
    </div>
  );
}

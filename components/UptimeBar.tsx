"use client";

import { useEffect, useState, type KeyboardEvent } from "react";
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
  if (lines.length === 0) lines.push(worst === "operational" ? "No downtime" : componentStatusMeta[worst].label);
  return lines;
}

const KEYS: Record<string, (i: number, last: number) => number> = {
  ArrowLeft: (i) => Math.max(0, i - 1),
  ArrowRight: (i, last) => Math.min(last, i + 1),
  Home: () => 0,
  End: (_, last) => last,
};

/*
 * One segment per day. Each segment is focusable and holds its details as
 * text: visually hidden until hover, focus or tap (CSS only), read by screen
 * readers and present in the server-rendered HTML, so it works without
 * JavaScript. Without JavaScript every day is a tab stop; once it runs, a bar
 * is one tab stop and the arrow keys move between days (roving tabindex), so
 * a keyboard user does not tab through 90 stops per component.
 */
export function UptimeBar({ name, days, ratio }: { name: string; days: DaySummary[]; ratio: number | null }) {
  const [active, setActive] = useState<number | null>(null);
  useEffect(() => setActive(days.length - 1), [days.length]);
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const move = KEYS[event.key];
    if (!move || active === null) return;
    event.preventDefault();
    const next = move(active, days.length - 1);
    setActive(next);
    (event.currentTarget.children[next] as HTMLElement | undefined)?.focus();
  };
  return (
    <div className="uptime">
      <ol className="uptime-bar" aria-label={`${name}: daily status, last ${days.length} days`} onKeyDown={onKeyDown}>
        {days.map(([day, worst, major, partial, incidents], i) => (
          <li
            key={day}
            tabIndex={active === null || active === i ? 0 : -1}
            onFocus={() => setActive(i)}
            className={`day-${worst ?? "none"}`}
          >
            <span>
              <b>{formatDay(day)}</b>
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

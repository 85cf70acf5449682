"use client";

import { useEffect, useState, type KeyboardEvent } from "react";
import { formatUptime } from "#lib/core/uptime.ts";
import { dayClass, dayDetails, dayLabel, type UptimeDays } from "./uptime-days.ts";

const KEYS: Record<string, (i: number, last: number) => number> = {
  ArrowLeft: (i) => Math.max(0, i - 1),
  ArrowRight: (i, last) => Math.min(last, i + 1),
  Home: () => 0,
  End: (_, last) => last,
};

/*
 * One segment per day. Each segment is focusable and holds its details as
 * text (the date in <b>, then lines separated by <br>): visually hidden until
 * hover, focus or tap (CSS only), read by screen readers and present in the
 * server-rendered HTML, so it works without JavaScript. Without JavaScript
 * every day is a tab stop; once it runs, a bar is one tab stop and the arrow
 * keys move between days (roving tabindex), so a keyboard user does not tab
 * through 90 stops per component.
 */
export function UptimeBar({ name, days, ratio }: { name: string; days: UptimeDays; ratio: number | null }) {
  const count = days.codes.length;
  const [active, setActive] = useState<number | null>(null);
  useEffect(() => setActive(count - 1), [count]);
  const notes = new Map(days.notes.map((note) => [note[0], note]));
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const move = KEYS[event.key];
    if (!move || active === null) return;
    event.preventDefault();
    const next = move(active, count - 1);
    setActive(next);
    (event.currentTarget.children[next] as HTMLElement | undefined)?.focus();
  };
  return (
    <div className="uptime">
      <ol className="uptime-bar" aria-label={`${name}: daily status, last ${count} days`} onKeyDown={onKeyDown}>
        {[...days.codes].map((code, i) => (
          <li key={i} tabIndex={active === null || active === i ? 0 : -1} onFocus={() => setActive(i)} className={dayClass(code)}>
            <span>
              <b>{dayLabel(days.first, i)}</b>
              {dayDetails(code, notes.get(i)).flatMap((line, n) => (n === 0 ? [line] : [<br key={n} />, line]))}
            </span>
          </li>
        ))}
      </ol>
      <p className="uptime-legend small muted">
        <span>{`${count} days ago`}</span>
        <span>{`${formatUptime(ratio)} uptime`}</span>
        <span>Today</span>
      </p>
    </div>
  );
}

"use client";

import { useEffect, useState, type KeyboardEvent } from "react";
import type { Locale } from "#lib/core/locales.ts";
import { dayClass, dayDetails, dayLabel, type DayWords, type UptimeDays } from "./uptime-days.ts";

/** What a bar says, resolved on the server (ComponentList): the browser gets words, not a catalog. */
export interface BarText {
  /** The bar's accessible name, which says where the oldest day is. */
  label: string;
  oldest: string;
  figure: string;
  today: string;
  words: DayWords;
  locale: Locale;
  /** Right to left: the oldest day at the right, so the arrow keys swap. */
  rtl: boolean;
}

/** The day a key moves to from `i`; null for a key the bar leaves alone. Home and End are the oldest and today in either direction. */
function moveTo(key: string, i: number, last: number, rtl: boolean): number | null {
  if (key === "Home") return 0;
  if (key === "End") return last;
  if (key !== "ArrowLeft" && key !== "ArrowRight") return null;
  return (key === "ArrowLeft") !== rtl ? Math.max(0, i - 1) : Math.min(last, i + 1);
}

/*
 * One segment per day, oldest first in the reader's direction (a flex row:
 * oldest at the left, or at the right in a right-to-left page). Each segment
 * is focusable and holds its details as text (the date in <b>, then lines
 * separated by <br>): visually hidden until hover, focus or tap (CSS only),
 * read by screen readers and present in the server-rendered HTML, so it works
 * without JavaScript. Without JavaScript every day is a tab stop; once it
 * runs, a bar is one tab stop and the arrow keys move between days (roving
 * tabindex), so a keyboard user does not tab through 90 stops per component.
 */
export function UptimeBar({ days, text }: { days: UptimeDays; text: BarText }) {
  const count = days.codes.length;
  const [active, setActive] = useState<number | null>(null);
  useEffect(() => setActive(count - 1), [count]);
  const notes = new Map(days.notes.map((note) => [note[0], note]));
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const next = active === null ? null : moveTo(event.key, active, count - 1, text.rtl);
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    (event.currentTarget.children[next] as HTMLElement | undefined)?.focus();
  };
  return (
    <div className="uptime">
      <ol className="uptime-bar" aria-label={text.label} onKeyDown={onKeyDown}>
        {[...days.codes].map((code, i) => (
          <li key={i} tabIndex={active === null || active === i ? 0 : -1} onFocus={() => setActive(i)} className={dayClass(code)}>
            <span>
              <b>{dayLabel(days.first, i, text.locale)}</b>
              {dayDetails(code, notes.get(i), text.words).flatMap((line, n) => (n === 0 ? [line] : [<br key={n} />, line]))}
            </span>
          </li>
        ))}
      </ol>
      <p className="uptime-legend small muted">
        <span>{text.oldest}</span>
        <span>{text.figure}</span>
        <span>{text.today}</span>
      </p>
    </div>
  );
}

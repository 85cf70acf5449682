import type { ComponentStatus, UpdateStatus } from "#db/schema.ts";
import { textDirection, type Locale } from "#lib/core/locales.ts";
import { formatter, translator } from "#lib/core/messages.ts";
import { rfc3339 } from "#lib/core/time.ts";
import { changeLine, type ComponentChange } from "#lib/core/timeline.ts";

// Minutes in 24-hour time whatever the locale: the status page's convention, and unambiguous in an outage.
const AT = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;
const CLOCK = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" } as const;

/*
 * Candor's own words in one subscriber's language, and times for people
 * in the page's zone (the machine form is only `iso`, for <time dateTime>).
 * What people wrote (incident names, update bodies, component names) is
 * never passed through here.
 */
export function mailWords(locale: Locale, zone: string) {
  const t = translator(locale, "email");
  const common = translator(locale, "common");
  const format = formatter(locale, zone);
  const componentStatus = (s: ComponentStatus) => common(`componentStatus.${s}`);
  return {
    locale,
    dir: textDirection(locale),
    zone,
    t,
    common,
    /** "23. Nov. 2026, 13:00 MEZ". */
    at: (date: Date) => format.dateTime(date, AT),
    /** "06:00 UTC". */
    clock: (date: Date) => format.dateTime(date, CLOCK),
    iso: (date: Date) => rfc3339(date, zone),
    updateStatus: (s: UpdateStatus) => common(`updateStatus.${s}`),
    componentStatus,
    change: (c: ComponentChange) => changeLine(c, componentStatus),
  };
}

export type MailWords = ReturnType<typeof mailWords>;

import { DEFAULT_LOCALE, type Locale } from "#lib/core/locales.ts";
import { formatDateTime, rfc3339 } from "#lib/core/time.ts";
import { LocalTime } from "./local-time.tsx";

/** A server-rendered instant in the page's zone and `locale` (English by default: the admin area's), re-rendered in the viewer's zone in the browser. */
export function Time({ date, zone, timeOnly = false, locale = DEFAULT_LOCALE }: { date: Date; zone: string; timeOnly?: boolean; locale?: Locale }) {
  return (
    <LocalTime iso={rfc3339(date, zone)} text={formatDateTime(date, zone, { withDate: !timeOnly, locale })} timeOnly={timeOnly} locale={locale} />
  );
}

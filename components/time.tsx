import { formatDateTime, rfc3339 } from "#lib/core/time.ts";
import { LocalTime } from "./local-time.tsx";

/** A server-rendered instant in the page's zone, localised in the browser. */
export function Time({ date, zone, timeOnly = false }: { date: Date; zone: string; timeOnly?: boolean }) {
  return <LocalTime iso={rfc3339(date, zone)} text={formatDateTime(date, zone, { withDate: !timeOnly })} timeOnly={timeOnly} />;
}

"use client";

import { useEffect, useState } from "react";

/*
 * A time the server wrote in the page's zone; once JavaScript runs it is
 * re-rendered in the viewer's own zone. Without JavaScript the server text stays.
 */
export function LocalTime({ iso, text, timeOnly = false }: { iso: string; text: string; timeOnly?: boolean }) {
  const [shown, setShown] = useState(text);
  useEffect(() => {
    setShown(
      new Intl.DateTimeFormat(undefined, {
        ...(timeOnly ? {} : { year: "numeric", month: "short", day: "numeric" }),
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
        timeZoneName: "short",
      }).format(new Date(iso)),
    );
  }, [iso, timeOnly]);
  return (
    <time dateTime={iso} title={text}>
      {shown}
    </time>
  );
}

"use client";

import { useEffect, useState } from "react";
import type { Locale } from "#lib/core/locales.ts";
import { dateTimeOptions } from "#lib/core/time.ts";

/*
 * A time the server wrote in the page's zone; once JavaScript runs it is
 * re-rendered in the viewer's own zone, in the page's locale (never the
 * browser's: the page's words and its times read in one language).
 * Without JavaScript the server text stays.
 */
export function LocalTime({ iso, text, timeOnly = false, locale }: { iso: string; text: string; timeOnly?: boolean; locale: Locale }) {
  const [shown, setShown] = useState(text);
  useEffect(() => {
    setShown(new Intl.DateTimeFormat(locale, dateTimeOptions(undefined, !timeOnly)).format(new Date(iso)));
  }, [iso, timeOnly, locale]);
  return (
    <time dateTime={iso} title={text}>
      {shown}
    </time>
  );
}

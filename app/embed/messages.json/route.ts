import { connection } from "next/server";
import { DEFAULT_LOCALE, isLocale } from "#lib/core/locales.ts";
import { machineResponse } from "#lib/http/responses.ts";
import { widgetText } from "#lib/public/widget.ts";

/*
 * The in-app widget's own words in one locale (lib/public/widget.ts
 * widgetText), fetched by public/embed.js once it knows which locale it
 * speaks. From the catalogs alone: the same for every page, changed only by
 * a new version. An unknown locale is the default one, the same copy as no
 * locale (lib/runtime/microcache/keys.ts).
 */
export async function GET(request: Request) {
  // Per request (its query picks the locale), never prerendered without one.
  await connection();
  const locale = new URL(request.url).searchParams.get("locale");
  return machineResponse(request, JSON.stringify(widgetText(isLocale(locale) ? locale : DEFAULT_LOCALE)), "application/json; charset=utf-8");
}

export const HEAD = GET;

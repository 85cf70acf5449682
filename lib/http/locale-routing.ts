import { z } from "zod";
import { invalidInput, parseInput } from "#lib/core/errors.ts";
import { acceptedLanguages, isLocale, LOCALES, localePath, matchLocale, splitLocalePath, type Locale } from "#lib/core/locales.ts";
import type { LocaleSettings } from "#lib/runtime/locale-settings.ts";

/*
 * Which locale a public page request is for. The public pages live under
 * app/[locale]/; the page's default locale is served unprefixed (`/history`
 * is the default locale's `/[locale]/history`), every other under its tag.
 * On an unprefixed page a reader is sent to their language: the one they
 * chose with the switcher (remembered in LOCALE_COOKIE), else the best match
 * of Accept-Language among the languages offered; the default locale's
 * readers (and crawlers, which send neither) stay. A prefix the page does
 * not offer is a 404.
 */
const LOCALE_COOKIE = "candor_locale";

/* Paths that are no page: machine endpoints, files, Next's own (`/_next/…`, `/_not-found`), other areas (as proxy.ts's matcher). Tokens may hold dots. */
const NOT_A_PAGE = /^\/(?:_|api\/|admin|embed|locale|icon|apple-icon)|\.(?:svg|js|json|rss|atom|ics|png|ico|txt|xml|webmanifest)$/;

export type LocaleRoute =
  | { kind: "page"; locale: Locale; internal: string }
  | { kind: "redirect"; location: string }
  | { kind: "not-found" }
  | { kind: "none" };

const CHOSEN = new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]*)`);

/** The locale a reader chose, from the Cookie header. */
function chosenLocale(cookieHeader: string | null | undefined): Locale | null {
  const value = cookieHeader ? CHOSEN.exec(cookieHeader)?.[1] : undefined;
  return isLocale(value) ? value : null;
}

/**
 * What to do with a request for `path`: render the page of a locale (at
 * `internal`, the app's own path), redirect a reader to their language (GET
 * and HEAD on an unprefixed page only), answer 404 for a locale not offered,
 * or nothing (not a page).
 */
export function routeLocale(
  request: { method: string; path: string; search: string; cookie: string | null | undefined; acceptLanguage: string | null | undefined },
  settings: LocaleSettings,
): LocaleRoute {
  const { path } = request;
  if (NOT_A_PAGE.test(path)) return { kind: "none" };
  const { locale, rest } = splitLocalePath(path);
  if (locale !== null) return settings.locales.includes(locale) ? { kind: "page", locale, internal: path } : { kind: "not-found" };
  const reading = request.method === "GET" || request.method === "HEAD";
  if (reading) {
    const wanted = readerLocale(request.cookie, request.acceptLanguage, settings);
    if (wanted !== settings.defaultLocale) return { kind: "redirect", location: localePath(wanted, rest, settings.defaultLocale) + request.search };
  }
  return { kind: "page", locale: settings.defaultLocale, internal: `/${settings.defaultLocale}${rest === "/" ? "" : rest}` };
}

/* Small and bounded: the few distinct Accept-Language headers real browsers send, each parsed once. */
const matched = new Map<string, Locale>();

/** The reader's language among those offered: their choice, else Accept-Language, else the default. */
function readerLocale(cookie: string | null | undefined, acceptLanguage: string | null | undefined, settings: LocaleSettings): Locale {
  const chosen = chosenLocale(cookie);
  if (chosen !== null && settings.locales.includes(chosen)) return chosen;
  if (!acceptLanguage) return settings.defaultLocale;
  const key = `${settings.defaultLocale}|${settings.locales.join()}|${acceptLanguage}`;
  let locale = matched.get(key);
  if (locale === undefined) {
    locale = matchLocale(acceptedLanguages(acceptLanguage), settings.locales, settings.defaultLocale);
    if (matched.size >= 1_000) matched.clear();
    matched.set(key, locale);
  }
  return locale;
}

const switchQuery = z.object({
  to: z.enum(LOCALES, { error: "is not a supported language" }),
  // A path on this site only: never `//host` or a scheme, so the switcher is no open redirect.
  path: z
    .string()
    .max(2_000, "is too long")
    .regex(/^\/(?![/\\])[^\s]*$/, "must be a path on this site")
    .default("/"),
});

/** Where the switcher sends a reader and the cookie that remembers their choice (a year, this site only). */
export function localeSwitch(query: unknown, settings: LocaleSettings, secure: boolean): { location: string; cookie: string } {
  const { to, path } = parseInput(switchQuery, query);
  if (!settings.locales.includes(to)) throw invalidInput([{ field: "to", message: "is not offered by this page" }]);
  const queryAt = path.indexOf("?");
  const { rest } = splitLocalePath(queryAt === -1 ? path : path.slice(0, queryAt));
  const location = localePath(to, rest, settings.defaultLocale) + (queryAt === -1 ? "" : path.slice(queryAt));
  const cookie = `${LOCALE_COOKIE}=${to}; Path=/; Max-Age=31536000; SameSite=Lax${secure ? "; Secure" : ""}`;
  return { location, cookie };
}

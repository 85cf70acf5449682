import { match } from "@formatjs/intl-localematcher";
import type { Locale } from "#db/schema.ts";

/*
 * The languages Candor's own text is written in (messages/<locale>.json),
 * as BCP 47 tags; each is also its URL prefix (`/de/history`). The page's
 * default locale is served unprefixed. The names are what a reader looks
 * for in a language switcher: each language's own name for itself.
 */
export const LOCALES = ["en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"] as const satisfies readonly Locale[];
export type { Locale };
export const DEFAULT_LOCALE: Locale = "en";

export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  es: "Español",
  "pt-BR": "Português (Brasil)",
  ja: "日本語",
  "zh-CN": "简体中文",
  ar: "العربية",
};

const RIGHT_TO_LEFT: ReadonlySet<string> = new Set(["ar", "he", "fa", "ur"]);

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function textDirection(locale: string): "ltr" | "rtl" {
  return RIGHT_TO_LEFT.has(locale.split("-")[0]) ? "rtl" : "ltr";
}

/** The languages an Accept-Language header asks for, most wanted first (q=0 means "not this"). */
export function acceptedLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  const ranked: { tag: string; q: number; at: number }[] = [];
  for (const [at, part] of header.split(",").slice(0, 32).entries()) {
    const [tag, ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) || !(weight > 0)) continue;
    ranked.push({ tag, q: weight, at });
  }
  return ranked.sort((a, b) => b.q - a.q || a.at - b.at).map((r) => r.tag);
}

/** The best of `available` for what the reader asked, by BCP 47 matching (`de-AT` → de, `zh` → zh-CN), else `fallback`. */
export function matchLocale(requested: readonly string[], available: readonly Locale[], fallback: Locale): Locale {
  if (requested.length === 0 || available.length === 0) return fallback;
  try {
    const best = match(requested, available, fallback, { algorithm: "best fit" });
    return isLocale(best) && available.includes(best) ? best : fallback;
  } catch {
    // A tag Intl cannot canonicalise: the page's default.
    return fallback;
  }
}

/** The locale a path is prefixed with, and the path without it (`/de/history` → de, `/history`). */
export function splitLocalePath(path: string): { locale: Locale | null; rest: string } {
  const slash = path.indexOf("/", 1);
  const first = slash === -1 ? path.slice(1) : path.slice(1, slash);
  if (!isLocale(first)) return { locale: null, rest: path };
  return { locale: first, rest: slash === -1 ? "/" : path.slice(slash) };
}

/** A public path in `locale`: the default locale unprefixed, every other under its tag (`/de`, `/de/history`). */
export function localePath(locale: Locale, path: string, defaultLocale: Locale): string {
  if (locale === defaultLocale) return path;
  return path === "/" ? `/${locale}` : `/${locale}${path}`;
}

/** A page's canonical URL in `locale` and its alternates in every language offered (hreflang), as Next's metadata takes them. */
export function localeAlternates(locale: Locale, path: string, offered: readonly Locale[], defaultLocale: Locale) {
  return {
    canonical: localePath(locale, path, defaultLocale),
    languages: Object.fromEntries([...offered.map((l) => [l, localePath(l, path, defaultLocale)]), ["x-default", path]]),
  };
}

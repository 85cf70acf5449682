import { db } from "#db/client.ts";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "#lib/core/locales.ts";
import { changeCount } from "./microcache/changes.ts";

/*
 * The page's languages as the request path needs them on every request
 * (server.ts before the microcache, proxy.ts before Next): read from the
 * database at most once per public change this process made and once per
 * TTL (another instance's change), and never waited for after the first
 * read. The database down: the last known settings, or every language with
 * English as the default. On globalThis: server.ts and Next's bundle each
 * load their own copy of this module, and share this one.
 */
export interface LocaleSettings {
  defaultLocale: Locale;
  locales: readonly Locale[];
}
const TTL_MS = 2_000;
const FALLBACK: LocaleSettings = { defaultLocale: DEFAULT_LOCALE, locales: LOCALES };
const STATE = Symbol.for("candor.locale-settings");

interface State {
  settings: LocaleSettings | null;
  readAt: number;
  readAtChange: number;
  reading: Promise<LocaleSettings> | null;
}

function state(): State {
  const global = globalThis as typeof globalThis & { [STATE]?: State };
  global[STATE] ??= { settings: null, readAt: 0, readAtChange: -1, reading: null };
  return global[STATE];
}

function read(s: State): Promise<LocaleSettings> {
  s.reading ??= (async () => {
    const change = changeCount();
    try {
      // Not through lib/domain: server.ts loads this before Next, and the domain's writes import Next's cache.
      const page = await (await db()).selectFrom("page").select(["default_locale", "locales"]).executeTakeFirst();
      s.settings = page ? { defaultLocale: page.default_locale, locales: page.locales } : FALLBACK;
      s.readAt = Date.now();
      s.readAtChange = change;
    } catch {
      s.readAt = Date.now();
    } finally {
      s.reading = null;
    }
    return s.settings ?? FALLBACK;
  })();
  return s.reading;
}

/** The settings now: waits only for the very first read; after that a stale copy is answered while a fresh one is read. */
export async function localeSettings(): Promise<LocaleSettings> {
  const s = state();
  if (s.settings === null && s.readAt === 0) return read(s);
  if (Date.now() - s.readAt > TTL_MS || s.readAtChange !== changeCount()) void read(s);
  return s.settings ?? FALLBACK;
}

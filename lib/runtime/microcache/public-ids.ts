import { PUBLIC_ID } from "#lib/core/ids.ts";
import { splitLocalePath } from "#lib/core/locales.ts";
import { changeCount } from "./changes.ts";
import { BADGE, FEED_KEY, historySearch, INCIDENT_JSON, INCIDENT_PAGE, NOT_FOUND_PATH, UNKNOWN } from "./keys.ts";

/** What exists, for the keys that carry an id or a page number (lib/public/status-page.ts publicIds). */
export interface PublicIds {
  incidents: Iterable<string>;
  /** Live components: /history's filter, and the feeds' and calendar's. */
  components: Iterable<string>;
  /** Live groups: a badge is a component's or a group's. */
  groups: Iterable<string>;
  /** How many pages /history has at most. */
  historyPages: number;
}

/*
 * Where the microcache learns what exists: registered in Next's bundle
 * (instrumentation.ts), which reads the database, and read by server.ts's
 * copy of this module; hence on globalThis.
 */
const PUBLIC_IDS = Symbol.for("candor.public-ids");
type PublicIdsSource = () => Promise<PublicIds>;

/** Called in Next's bundle, which can read the database: how the microcache tells made-up ids. */
export function providePublicIds(source: PublicIdsSource): void {
  (globalThis as { [PUBLIC_IDS]?: PublicIdsSource })[PUBLIC_IDS] = source;
}

export function registeredPublicIds(): Promise<PublicIds> {
  const source = (globalThis as { [PUBLIC_IDS]?: PublicIdsSource })[PUBLIC_IDS];
  return source ? source() : Promise.reject(new Error("no public ids registered"));
}

interface Known {
  incidents: Set<string>;
  components: Set<string>;
  /** Components and groups. */
  badges: Set<string>;
  historyPages: number;
}

interface Loaded {
  /** Null when they could not be loaded. */
  ids: Known | null;
  changeCount: number;
  loadedAt: number;
}

/**
 * What exists, as the microcache checks keys against it: loaded after the
 * latest write, and loaded again at most every `reloadMs` while a key is not
 * among it.
 */
export class KnownIds {
  readonly #source: () => Promise<PublicIds>;
  readonly #reloadMs: number;
  #loaded: Loaded | null = null;
  #loading: Promise<Loaded> | null = null;

  constructor(source: () => Promise<PublicIds>, reloadMs: number) {
    this.#source = source;
    this.#reloadMs = reloadMs;
  }

  /**
   * The key with its ids checked against what exists: an unknown incident's
   * page is the not-found page; its JSON, and an unknown component's badge
   * or feed, the `-` key; on /history and /uptime an unknown component is no filter and
   * a page past the last is the first empty one, as Next renders them.
   * The key as it is when what exists cannot be loaded: Next decides.
   */
  async key(key: string): Promise<string> {
    // A page in another locale: its key checked without the prefix, which the answer keeps (the not-found page has none).
    const { locale } = splitLocalePath(key.split("?")[0]);
    if (locale !== null) {
      const checked = await this.key(key.slice(locale.length + 1) || "/");
      return checked === NOT_FOUND_PATH ? checked : checked === "/" ? `/${locale}` : `/${locale}${checked}`;
    }
    const incident = INCIDENT_PAGE.exec(key) ?? INCIDENT_JSON.exec(key);
    if (incident && PUBLIC_ID.test(incident[1])) {
      const ids = await this.#ids((known) => known.incidents.has(incident[1]));
      if (!ids || ids.incidents.has(incident[1])) return key;
      return key.startsWith("/api/") ? `/api/v2/incidents/${UNKNOWN}.json` : NOT_FOUND_PATH;
    }
    const badge = BADGE.exec(key);
    if (badge && PUBLIC_ID.test(badge[1])) {
      const ids = await this.#ids((known) => known.badges.has(badge[1]));
      return !ids || ids.badges.has(badge[1]) ? key : `/components/${UNKNOWN}/badge.svg`;
    }
    if (key.startsWith("/history?")) {
      const query = new URLSearchParams(key.slice("/history?".length));
      const page = Number(query.get("page") ?? 1);
      const component = query.get("component");
      const ids = await this.#ids((known) => page <= known.historyPages + 1 && (component === null || known.components.has(component)));
      if (!ids) return key;
      return `/history${historySearch(Math.min(page, ids.historyPages + 1), component !== null && ids.components.has(component) ? component : null)}`;
    }
    if (key.startsWith("/uptime?component=")) {
      // An unknown component shows the first, as /uptime does.
      const component = key.slice("/uptime?component=".length);
      const ids = await this.#ids((known) => known.components.has(component));
      return !ids || ids.components.has(component) ? key : "/uptime";
    }
    const feed = FEED_KEY.exec(key);
    if (feed) {
      const ids = await this.#ids((known) => known.components.has(feed[2]));
      return !ids || ids.components.has(feed[2]) ? key : `${feed[1]}?component=${UNKNOWN}`;
    }
    return key;
  }

  /** What exists, loaded again when `has` says a key is missing from it. Null when it cannot be loaded. */
  async #ids(has: (known: Known) => boolean): Promise<Known | null> {
    let loaded = this.#loaded;
    if (!loaded || loaded.changeCount !== changeCount() || ((!loaded.ids || !has(loaded.ids)) && Date.now() - loaded.loadedAt >= this.#reloadMs)) {
      this.#loading ??= this.#load().finally(() => (this.#loading = null));
      loaded = await this.#loading;
    }
    return loaded.ids;
  }

  async #load(): Promise<Loaded> {
    const count = changeCount();
    let ids: Known | null;
    try {
      const loaded = await this.#source();
      const components = new Set(loaded.components);
      ids = {
        incidents: new Set(loaded.incidents),
        components,
        badges: new Set([...components, ...loaded.groups]),
        historyPages: loaded.historyPages,
      };
    } catch {
      // Keep what there is (stale-if-error), and ask again only after reloadMs.
      ids = this.#loaded?.ids ?? null;
    }
    this.#loaded = { ids, changeCount: count, loadedAt: Date.now() };
    return this.#loaded;
  }
}

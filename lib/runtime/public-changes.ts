import pg from "pg";
import { applicationName } from "#db/client.ts";
import { isProductionServer, postInternal } from "./internal-requests.ts";

/*
 * Public changes made by other processes: other app instances, the seed,
 * scripts, plain SQL. PostgreSQL notifies `candor_public` on every committed
 * write to what the public pages show (db/migrations/0007_public_changes.ts);
 * an app instance listens on one connection of its own and refreshes its
 * caches, so a write anywhere shows everywhere within about a second rather
 * than at the end of the cache period. Its own writes it has refreshed
 * already, in the request that made them (and again as they settle, below).
 * PostgreSQL only: PGlite is one process. LISTEN needs a session of
 * its own: through a transaction-pooling PgBouncer it hears nothing, hence
 * DATABASE_LISTEN_URL.
 */
const CHANNEL = "candor_public";
// Capped low: changes made while the listener is away show only once it is back.
const RETRY_MS = { first: 500, max: 5_000 };
// A connection a NAT or failover dropped without a word ends nothing: ask it something now and then.
const HEARTBEAT_MS = 30_000;
const TIMEOUT_MS = 10_000;
/** Refreshes for a burst of changes come at most this often. */
const REFRESH_GAP_MS = 200;

/**
 * Listens until stopped, reconnecting with backoff when the connection is
 * lost. `onChange(own)` runs for each change, `own` when this process made
 * it; and after a reconnect, as another's: changes made meanwhile were not
 * heard.
 */
export function listenForPublicChanges(url: string, onChange: (own: boolean) => void): () => void {
  const own = applicationName();
  let client: pg.Client | null = null;
  let stopped = false;
  let retry = RETRY_MS.first;
  let timer: NodeJS.Timeout | undefined;

  const reconnect = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect(true);
    }, retry);
    timer.unref();
    retry = Math.min(retry * 2, RETRY_MS.max);
  };

  const heartbeat = setInterval(() => {
    const connection = client;
    connection?.query("select 1").catch(() => connection.end().catch(() => {}));
  }, HEARTBEAT_MS);
  heartbeat.unref();

  const connect = async (again: boolean) => {
    let connection: pg.Client | null = null;
    try {
      connection = new pg.Client({
        connectionString: url,
        application_name: `${own} listener`.slice(0, 63),
        keepAlive: true,
        connectionTimeoutMillis: TIMEOUT_MS,
        query_timeout: TIMEOUT_MS,
      });
      const current = connection;
      current.on("notification", (message) => {
        if (message.channel === CHANNEL) onChange(message.payload === own);
      });
      current.on("error", (error) => console.error(`[public changes] ${error.message}`));
      // Only the established connection's end reconnects: a failed attempt's is the catch's to handle.
      current.on("end", () => {
        if (client !== current) return;
        client = null;
        reconnect();
      });
      await current.connect();
      await current.query(`listen ${CHANNEL}`);
      if (stopped) return void current.end();
      client = current;
      retry = RETRY_MS.first;
      if (again) onChange(false);
    } catch (error) {
      console.error(`[public changes] cannot listen: ${(error as Error).message}`);
      connection?.end().catch(() => {});
      reconnect();
    }
  };

  void connect(false);
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(heartbeat);
    void client?.end().catch(() => {});
  };
}

// Whether this process listens, and its refresher (below): on globalThis because Next may load this module more than once.
const LISTENING = Symbol.for("candor.public-changes-listening");

/*
 * Next stamps a page it stores in its route cache with the time it stored
 * it, not the time it read the data. A render under way when a change is
 * refreshed (started by an earlier refresh, or by the page's revalidate
 * period) stores the page from before the change as fresh, for the page's
 * whole revalidate period: a minute. After a database restart that is the
 * rule, not the exception: the reconnect refreshes every page just as the
 * database is slow. So each change is refreshed again after renders then
 * under way have ended, whoever made it: 0.25, 0.5, 1, 2, 4 and 8 s after
 * it (how long a render takes is not known).
 */
const SETTLE_GAPS_MS = [250, 250, 500, 1000, 2000, 4000];

interface Refresher {
  /** Refreshes this instance's caches now (coalesced). */
  refresh(): void;
  /** Refreshes them again as the change settles (SETTLE_GAPS_MS). */
  settle(): void;
}

const REFRESHER = Symbol.for("candor.public-refresher");

/**
 * This process's refresher, one whichever bundle asks: each refresh is a
 * request to itself (revalidateTag needs one). A burst of refreshes makes
 * one, then one more every REFRESH_GAP_MS while they keep coming; one asked
 * for while another ran is not dropped. Settling steps only mark Next's pages
 * stale again (/api/internal/public-settled): a change that a step marked as
 * new would throw away the microcache's fetches under way and make readers
 * wait on every step. A settle asked for while a sequence runs starts it
 * again after its next step: a stream of changes is still refreshed.
 */
function refresher(): Refresher {
  const global = globalThis as { [REFRESHER]?: Refresher };
  if (global[REFRESHER]) return global[REFRESHER];
  let running = false;
  let pending = false;
  const refresh = async () => {
    pending = true;
    if (running) return;
    running = true;
    while (pending) {
      pending = false;
      try {
        await postInternal("/api/internal/public-changed");
      } catch (error) {
        console.error(`[public changes] refresh failed: ${(error as Error).message}`);
      }
      if (pending) await new Promise((resolve) => setTimeout(resolve, REFRESH_GAP_MS));
    }
    running = false;
  };
  let step = 0;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(() => {
      timer = undefined;
      postInternal("/api/internal/public-settled").catch((error: unknown) =>
        console.error(`[public changes] settling refresh failed: ${(error as Error).message}`),
      );
      step = again ? 0 : step + 1;
      again = false;
      if (step < SETTLE_GAPS_MS.length) next();
    }, SETTLE_GAPS_MS[step]);
    timer.unref();
  };
  global[REFRESHER] = {
    refresh: () => void refresh(),
    settle: () => {
      if (timer) {
        again = true;
        return;
      }
      step = 0;
      next();
    },
  };
  return global[REFRESHER];
}

/**
 * After this process's own write (lib/runtime/invalidation.ts), already refreshed in the
 * request that made it: refresh again as it settles. A listening process
 * does so when it hears its own write; on PGlite, or without a listener,
 * nothing else would. Only the production server has the channel to
 * itself; elsewhere this does nothing.
 */
export function settleOwnChange(): void {
  const listening = (globalThis as { [LISTENING]?: boolean })[LISTENING] === true;
  if (isProductionServer() && !listening) refresher().settle();
}

/**
 * In an app instance: each change another process made refreshes this
 * instance's caches at once; every change, its own included, is refreshed
 * again as it settles.
 */
export function refreshOnPublicChanges(url: string): void {
  const global = globalThis as { [LISTENING]?: boolean };
  if (global[LISTENING]) return;
  global[LISTENING] = true;
  const { refresh, settle } = refresher();
  listenForPublicChanges(url, (own) => {
    // Its own write this process refreshed already, in the request that made it.
    if (!own) refresh();
    settle();
  });
}

import pg from "pg";
import { applicationName } from "../db/client.ts";
import { postInternal } from "./internal-requests.ts";

/*
 * Public changes made by other processes: other app instances, the seed,
 * scripts, plain SQL. PostgreSQL notifies `candor_public` on every committed
 * write to what the public pages show (db/migrations/0007_public_changes.ts);
 * an app instance listens on one connection of its own and refreshes its
 * caches, so a write anywhere shows everywhere within about a second rather
 * than at the end of the cache period. Its own writes it has refreshed
 * already. PostgreSQL only: PGlite is one process. LISTEN needs a session of
 * its own: through a transaction-pooling PgBouncer it hears nothing, hence
 * DATABASE_LISTEN_URL.
 */
const CHANNEL = "candor_public";
const RETRY_MS = { first: 1000, max: 30_000 };
// A connection a NAT or failover dropped without a word ends nothing: ask it something now and then.
const HEARTBEAT_MS = 30_000;
const TIMEOUT_MS = 10_000;
/** Refreshes for a burst of changes come at most this often. */
const REFRESH_GAP_MS = 200;

/**
 * Listens until stopped, reconnecting with backoff when the connection is
 * lost. `onChange` also runs after a reconnect: changes made meanwhile were
 * not heard.
 */
export function listenForPublicChanges(url: string, onChange: () => void): () => void {
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
        if (message.channel === CHANNEL && message.payload !== own) onChange();
      });
      current.on("error", (error) => console.error(`[public changes] ${error.message}`));
      current.on("end", () => {
        if (client === current) client = null;
        reconnect();
      });
      await current.connect();
      await current.query(`listen ${CHANNEL}`);
      if (stopped) return void current.end();
      client = current;
      retry = RETRY_MS.first;
      if (again) onChange();
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

const LISTENING = Symbol.for("candor.public-changes-listening");

/**
 * In an app instance: each change heard refreshes this instance's caches,
 * through a request to itself (revalidateTag needs one). A burst of changes
 * makes one refresh, then one more every REFRESH_GAP_MS while changes keep
 * coming; a change heard while a refresh failed is not dropped.
 */
export function refreshOnPublicChanges(url: string): void {
  const global = globalThis as { [LISTENING]?: boolean };
  if (global[LISTENING]) return;
  global[LISTENING] = true;
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
  listenForPublicChanges(url, () => void refresh());
}

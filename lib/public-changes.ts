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
 * already. PostgreSQL only: PGlite is one process.
 */
const CHANNEL = "candor_public";
const RETRY_MS = { first: 1000, max: 30_000 };

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

  const connect = async (again: boolean) => {
    const connection = new pg.Client({ connectionString: url, application_name: `${own} listener`.slice(0, 63) });
    connection.on("notification", (message) => {
      if (message.channel === CHANNEL && message.payload !== own) onChange();
    });
    connection.on("error", (error) => console.error(`[public changes] ${error.message}`));
    connection.on("end", () => {
      if (client === connection) client = null;
      reconnect();
    });
    try {
      await connection.connect();
      await connection.query(`listen ${CHANNEL}`);
      if (stopped) return void connection.end();
      client = connection;
      retry = RETRY_MS.first;
      if (again) onChange();
    } catch (error) {
      console.error(`[public changes] cannot listen: ${(error as Error).message}`);
      connection.end().catch(() => {});
      reconnect();
    }
  };

  void connect(false);
  return () => {
    stopped = true;
    clearTimeout(timer);
    void client?.end().catch(() => {});
  };
}

/**
 * In an app instance: each change heard refreshes this instance's caches,
 * through a request to itself (revalidateTag needs one); a burst of changes
 * makes one refresh and, if more arrived meanwhile, one more.
 */
export function refreshOnPublicChanges(url: string): () => void {
  let running = false;
  let again = false;
  const refresh = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await postInternal("/api/internal/public-changed");
      } while (again);
    } catch (error) {
      console.error(`[public changes] refresh failed: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };
  return listenForPublicChanges(url, () => void refresh());
}

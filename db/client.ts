import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "./pglite-dialect.ts";
import { migrate } from "./migrations/index.ts";
import type { Database } from "./schema.ts";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface DbHandle {
  db: Db;
  kind: "pg" | "pglite";
  /** The embedded instance, for code that talks to PGlite directly. */
  pglite?: PGlite;
  close(): Promise<void>;
}

// Dates and numbers come back as JS values on both drivers: timestamptz as Date
// (pg's default), bigint counts as strings unless cast in SQL. A `date` (a
// calendar day, no instant) stays its YYYY-MM-DD text: as a Date it would be
// midnight in the server's zone, and the schema types it as a string.
const DATE_OID = 1082;

/*
 * What this module keeps per process. On globalThis: server.ts and Next's
 * bundle each load their own copy of this module, and server.ts closes the
 * database Next's bundle opened.
 */
interface ProcessState {
  /** The process-wide database (database()), opening or open. */
  shared?: Promise<DbHandle>;
  /** Whoever runs the process closes the shared database itself (closeSharedDatabase), not on a signal. */
  closedByOwner?: boolean;
  applicationName?: string;
}
const PROCESS_STATE = Symbol.for("candor.database");
function processState(): ProcessState {
  const global = globalThis as { [PROCESS_STATE]?: ProcessState };
  return (global[PROCESS_STATE] ??= {});
}

/*
 * Names this process's connections: PostgreSQL stamps each public change
 * notification with it (db/migrations/0007_public_changes.ts), so a process
 * can tell its own writes from others'.
 */
export function applicationName(): string {
  const state = processState();
  // Random first: containers can share a hostname and a pid, and PostgreSQL keeps 63 bytes.
  state.applicationName ??= `candor ${randomBytes(6).toString("hex")} ${process.pid} ${hostname()}`.slice(0, 63);
  return state.applicationName;
}
const asText = (value: string) => value;
// A database that does not answer (failover, network) fails a request rather than hanging it.
const CONNECT_TIMEOUT_MS = 5000;

export async function openDatabase(options: { url?: string; dataDir?: string } = {}): Promise<DbHandle> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      application_name: applicationName(),
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === DATE_OID ? asText : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
    });
    // A server restart errors every connection, checked-out ones too, which carry no listener of the pool's
    // (an uncaught exception). Logged here; the pool drops the connection: an idle one at once (passing its
    // error on, below), a checked-out one, whose query failed, on release.
    pool.on("connect", (client) => client.on("error", (error) => console.error("[db] connection lost:", error.message)));
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    try {
      await migrate(db);
    } catch (error) {
      // database() opens anew on the next call: this pool's connections must not linger.
      await db.destroy().catch(() => {});
      throw error;
    }
    return { db, kind: "pg", close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? process.env.PGLITE_DIR ?? ".data/pglite";
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({ ...(dataDir === "memory://" ? {} : { dataDir }), parsers: { [DATE_OID]: asText } });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  await migrate(db);
  return { db, kind: "pglite", pglite, close: () => db.destroy() };
}

/*
 * The process-wide database. A failed open is not memoized, so the app
 * recovers by itself when the database comes back.
 */
export function database(): Promise<DbHandle> {
  const state = processState();
  if (!state.shared) {
    const opening = openDatabase();
    state.shared = opening;
    opening.catch(() => {
      if (state.shared === opening) state.shared = undefined;
    });
    // PGlite must be closed cleanly or its data directory can be left damaged.
    for (const signal of state.closedByOwner ? [] : (["SIGTERM", "SIGINT"] as const)) {
      process.once(signal, () => {
        opening
          .then((h) => h.close())
          .catch(() => {})
          .finally(() => process.exit(0));
      });
    }
  }
  return state.shared;
}

/**
 * server.ts, before Next starts: it closes the process-wide database itself
 * (closeSharedDatabase), after its last request, so a signal must not.
 */
export function keepSharedDatabaseOpenOnSignals(): void {
  processState().closedByOwner = true;
}

/** Closes the process-wide database if one was opened; the next database() opens another. */
export async function closeSharedDatabase(): Promise<void> {
  const state = processState();
  const shared = state.shared;
  state.shared = undefined;
  await shared?.then((handle) => handle.close()).catch(() => {});
}

/**
 * Makes `handle` the process-wide database (tests that call code which
 * reads database()), or forgets it with undefined, leaving it open.
 */
export function useSharedDatabase(handle: DbHandle | undefined): void {
  processState().shared = handle && Promise.resolve(handle);
}

export async function db(): Promise<Db> {
  return (await database()).db;
}

// SQLSTATE class 08 (connection exception) and 57P01–57P03 (shut down, crashed, starting up).
const UNAVAILABLE_STATES = /^(08...|57P0[123])$/;
const UNAVAILABLE_SOCKET = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/**
 * Whether `error` (or one it wraps) says the database cannot be reached
 * right now, rather than that the request or the code is wrong: worth a 503
 * and a retry.
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_SOCKET.has(code))) return true;
    // pg's own words for a lost connection and a pool that could not connect in time.
    if (/^Connection terminated|not queryable|timeout exceeded when trying to connect/.test(e.message)) return true;
  }
  return false;
}

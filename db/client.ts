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
 * Names this process's connections: PostgreSQL stamps each public change
 * notification with it (db/migrations/0007_public_changes.ts), so a process
 * can tell its own writes from others'.
 */
export function applicationName(): string {
  // Random first: containers can share a hostname and a pid, and PostgreSQL keeps 63 bytes.
  const global = globalThis as { [APPLICATION_NAME]?: string };
  global[APPLICATION_NAME] ??= `candor ${randomBytes(6).toString("hex")} ${process.pid} ${hostname()}`.slice(0, 63);
  return global[APPLICATION_NAME];
}
const APPLICATION_NAME = Symbol.for("candor.application-name");
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

const globalForDb = globalThis as unknown as { candorDb?: Promise<DbHandle> };
// Set by server.ts (lib/runtime/internal-requests.ts declareProductionServer).
const PRODUCTION_SERVER = Symbol.for("candor.production-server");

/*
 * The process-wide database. A failed open is not memoized, so the app
 * recovers by itself when the database comes back.
 */
export function database(): Promise<DbHandle> {
  if (!globalForDb.candorDb) {
    const opening = openDatabase();
    globalForDb.candorDb = opening;
    opening.catch(() => {
      if (globalForDb.candorDb === opening) globalForDb.candorDb = undefined;
    });
    // PGlite must be closed cleanly or its data directory can be left damaged.
    // The production server (server.ts) does it itself, after its last request.
    const serverStops = (globalThis as { [PRODUCTION_SERVER]?: boolean })[PRODUCTION_SERVER] === true;
    for (const signal of serverStops ? [] : (["SIGTERM", "SIGINT"] as const)) {
      process.once(signal, () => {
        opening
          .then((h) => h.close())
          .catch(() => {})
          .finally(() => process.exit(0));
      });
    }
  }
  return globalForDb.candorDb;
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

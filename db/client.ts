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

export async function openDatabase(options: { url?: string; dataDir?: string } = {}): Promise<DbHandle> {
  const url = options.url ?? process.env.DATABASE_URL;
  if (url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
      application_name: applicationName(),
      types: { getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === DATE_OID ? asText : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
    });
    // An idle client's error (server restart) must not crash the process.
    pool.on("error", (error) => console.error("[db] idle client error:", error.message));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db);
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
// Set by server.ts (lib/internal-requests.ts declareProductionServer).
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

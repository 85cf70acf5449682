import type { PGlite, Transaction } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/*
 * Kysely dialect for PGlite. PGlite is one session, so Kysely gets one
 * connection at a time (a queue). A Kysely transaction runs inside
 * `pglite.transaction()`, which holds PGlite's own lock until commit or
 * rollback, so code that talks to the same PGlite instance directly
 * (pg-boss, better-auth) can never slip a statement into our transaction.
 */
export class PGliteDialect implements Dialect {
  // Plain fields, not parameter properties: server.ts loads db/ under Node's type stripping.
  private readonly pglite: PGlite;
  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteConnection implements DatabaseConnection {
  tx: Transaction | null = null;
  private finish: ((rollback: boolean) => void) | null = null;
  private done: Promise<void> | null = null;
  private readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const target = this.tx ?? this.pglite;
    const result = await target.query<R>(query.sql, query.parameters as unknown[]);
    const affected = result.affectedRows;
    return {
      rows: result.rows,
      ...(affected !== undefined && !/^\s*select/i.test(query.sql)
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(query);
  }

  async begin(settings: TransactionSettings): Promise<void> {
    let opened!: (tx: Transaction) => void;
    const ready = new Promise<Transaction>((resolve) => (opened = resolve));
    this.done = this.pglite
      .transaction(async (tx) => {
        opened(tx);
        const rollback = await new Promise<boolean>((resolve) => (this.finish = resolve));
        if (rollback) await tx.rollback();
      })
      .then(() => undefined);
    // A failing BEGIN rejects `done` before `ready` resolves.
    this.tx = await Promise.race([ready, this.done.then(() => Promise.reject(new Error("transaction did not open")))]);
    if (settings.isolationLevel) {
      await this.tx.query(`set transaction isolation level ${settings.isolationLevel}`);
    }
  }

  async end(rollback: boolean): Promise<void> {
    const finish = this.finish;
    const done = this.done;
    this.finish = null;
    this.done = null;
    this.tx = null;
    finish?.(rollback);
    await done;
  }
}

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PGliteConnection;
  private readonly pglite: PGlite;

  constructor(pglite: PGlite) {
    this.pglite = pglite;
    this.connection = new PGliteConnection(pglite);
  }

  async init() {
    await this.pglite.waitReady;
  }

  private release: (() => void) | null = null;

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    await (connection as PGliteConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection) {
    await (connection as PGliteConnection).end(false);
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await (connection as PGliteConnection).end(true);
  }

  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async releaseConnection() {
    const release = this.release;
    this.release = null;
    release?.();
  }

  async destroy() {
    await this.queue;
    if (!this.pglite.closed) await this.pglite.close();
  }
}

function quoteIdent(name: string) {
  return `"${name.replace(/"/g, '""')}"`;
}

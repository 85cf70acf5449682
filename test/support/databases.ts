/*
 * Real databases for integration tests: every suite runs on PGlite (in
 * memory) and on PostgreSQL (a fresh database on the cluster named by
 * TEST_DATABASE_URL, which `npm test` starts). Never a mock.
 */
import pg from "pg";
import { randomBytes } from "node:crypto";
import { openDatabase, type DbHandle } from "#db/client.ts";

export type Engine = "pglite" | "pg";

export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ["pglite", "pg"] : ["pglite"];

if (!process.env.TEST_DATABASE_URL && process.env.CI) {
  throw new Error("TEST_DATABASE_URL must be set in CI: integration tests run on real PostgreSQL too");
}

/** A fresh, migrated database on the given engine. */
export async function freshDatabase(engine: Engine): Promise<DbHandle> {
  if (engine === "pglite") return openDatabase({ dataDir: "memory://", url: "" });
  const fresh = await freshDatabaseUrl();
  const handle = await openDatabase({ url: fresh.url });
  return {
    ...handle,
    async close() {
      await handle.close();
      await fresh.drop();
    },
  };
}

/**
 * A fresh, empty database on a PostgreSQL server (by default the test
 * cluster), for processes that open their own connection; drop() removes it.
 */
export async function freshDatabaseUrl(base = process.env.TEST_DATABASE_URL, prefix = "t"): Promise<{ url: string; drop(): Promise<void> }> {
  if (!base) throw new Error("TEST_DATABASE_URL is not set");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { DbHandle } from "#db/client.ts";
import { freshDatabase } from "../support/databases.ts";

/* Our PGlite dialect must behave like the pg one in what the domain relies on. */
describe("PGlite dialect", () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await freshDatabase("pglite");
    await sql`create table t (n int primary key)`.execute(h.db);
  });
  afterAll(async () => h?.close());

  it("reports affected rows", async () => {
    await h.db.insertInto("t" as never).values([{ n: 1 }, { n: 2 }, { n: 3 }] as never).execute();
    const result = await h.db.updateTable("t" as never).set({ n: sql`n + 10` } as never).where(sql`n`, ">", 1).executeTakeFirst();
    expect(Number(result.numUpdatedRows)).toBe(2);
    const deleted = await h.db.deleteFrom("t" as never).executeTakeFirst();
    expect(Number(deleted.numDeletedRows)).toBe(3);
  });

  it("rolls back a failed transaction completely", async () => {
    await expect(
      h.db.transaction().execute(async (trx) => {
        await sql`insert into t values (100)`.execute(trx);
        await sql`insert into t values (100)`.execute(trx);
      }),
    ).rejects.toThrow();
    const { rows } = await sql<{ c: number }>`select count(*)::int as c from t where n = 100`.execute(h.db);
    expect(rows[0].c).toBe(0);
  });

  it("supports savepoints", async () => {
    const trx = await h.db.startTransaction().execute();
    await sql`insert into t values (200)`.execute(trx);
    const sp = await trx.savepoint("inner").execute();
    await sql`insert into t values (201)`.execute(sp);
    await sp.rollbackToSavepoint("inner").execute();
    await trx.commit().execute();
    const { rows } = await sql<{ n: number }>`select n from t where n >= 200 order by n`.execute(h.db);
    expect(rows.map((r) => r.n)).toEqual([200]);
  });

  it("keeps direct PGlite queries out of an open transaction", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = h.db.transaction().execute(async (trx) => {
      await sql`insert into t values (300)`.execute(trx);
      await gate;
      throw new Error("roll back");
    });
    await new Promise((r) => setTimeout(r, 20));
    // A library talking to PGlite directly (pg-boss, better-auth) must wait for the transaction.
    const outside = h.pglite!.query<{ c: number }>("select count(*)::int as c from t where n = 300");
    release();
    await expect(tx).rejects.toThrow("roll back");
    expect((await outside).rows[0].c).toBe(0);
  });

  it("runs 50 concurrent transactions without interleaving", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.db.transaction().execute(async (trx) => {
          await sql`insert into t values (${1000 + i})`.execute(trx);
          const { rows } = await sql<{ n: number }>`select n from t where n = ${1000 + i}`.execute(trx);
          expect(rows).toHaveLength(1);
        }),
      ),
    );
    const { rows } = await sql<{ c: number }>`select count(*)::int as c from t where n >= 1000`.execute(h.db);
    expect(rows[0].c).toBe(50);
  });
});

import type { Db } from "#db/client.ts";
import type { ImportMappingTable } from "#db/schema.ts";

type Kind = ImportMappingTable["kind"];

/*
 * The import's memory (db/migrations/0017_import_mappings.ts): which source
 * object became which row here, loaded once per run and written as each
 * object is created. A crash between a write and its mapping would import
 * that one object again on the next run; every other object is skipped.
 */
export class Mappings {
  private readonly known = new Map<string, string>();
  private readonly db: Db;
  private readonly source: string;

  private constructor(db: Db, source: string) {
    this.db = db;
    this.source = source;
  }

  static async load(db: Db, source: string): Promise<Mappings> {
    const mappings = new Mappings(db, source);
    const rows = await db.selectFrom("import_mappings").select(["kind", "external_id", "candor_id"]).where("source", "=", source).execute();
    for (const row of rows) mappings.known.set(`${row.kind}:${row.external_id}`, row.candor_id);
    return mappings;
  }

  get(kind: Kind, externalId: string): string | undefined {
    return this.known.get(`${kind}:${externalId}`);
  }

  async set(kind: Kind, externalId: string, candorId: string): Promise<void> {
    await this.db
      .insertInto("import_mappings")
      .values({ source: this.source, kind, external_id: externalId, candor_id: candorId })
      .onConflict((oc) => oc.columns(["source", "kind", "external_id"]).doUpdateSet({ candor_id: candorId }))
      .execute();
    this.known.set(`${kind}:${externalId}`, candorId);
  }
}

import type { Db, Tx } from "#db/client.ts";
import type { AuditSource } from "#db/schema.ts";
import type { Actor } from "./actors.ts";

export interface AuditInput {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  before?: unknown;
  after?: unknown;
}

/*
 * Written inside the change's own transaction: if the audit entry fails,
 * the change rolls back with it.
 */
export async function recordAudit(trx: Tx, actor: Actor, entry: AuditInput): Promise<void> {
  await trx
    .insertInto("audit_entries")
    .values({
      actor: actor.name,
      source: actor.source,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      ip: actor.ip ?? null,
    })
    .execute();
}

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  actor?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  source?: AuditSource;
  /** Entries older than this id (keyset paging, newest first). */
  before?: string;
  limit?: number;
}

/** The audit log, newest first, filtered; `next` is the cursor for the following page. */
export async function listAuditEntries(db: Db, filters: AuditFilters = {}) {
  const limit = Math.min(filters.limit ?? AUDIT_PAGE_SIZE, 500);
  let query = db.selectFrom("audit_entries").selectAll().orderBy("id", "desc").limit(limit + 1);
  if (filters.actor) query = query.where("actor", "ilike", `%${escapeLike(filters.actor)}%`);
  if (filters.action) query = query.where("action", "like", `${escapeLike(filters.action)}%`);
  if (filters.subjectType) query = query.where("subject_type", "=", filters.subjectType);
  if (filters.subjectId) query = query.where("subject_id", "=", filters.subjectId);
  if (filters.source) query = query.where("source", "=", filters.source);
  if (filters.before && /^\d+$/.test(filters.before)) query = query.where("id", "<", filters.before);
  const rows = await query.execute();
  return { entries: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1].id : null };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

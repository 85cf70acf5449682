import type { Tx } from "../db/client.ts";
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

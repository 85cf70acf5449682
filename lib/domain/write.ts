import type { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import { parseInput } from "#lib/core/errors.ts";
import { invalidatePublic } from "#lib/runtime/invalidation.ts";
import { requireRole, type Actor, type Role } from "./actors.ts";
import { recordAudit, type AuditInput } from "./audit.ts";

/** What a write's change returns: its result, and the audit entry for it (null: nothing changed, nothing to audit). */
export interface Change<R> {
  result: R;
  audit: AuditInput | null;
}

export interface WriteSpec<S extends z.ZodType, R, P> {
  role: Role;
  schema: S;
  /** The public pages, feeds or APIs show what this changes: their caches are invalidated once it settles. */
  public: boolean;
  /** Slow work on the parsed input that must not hold a transaction open (password hashing, the link secret). */
  prepare?: (data: z.output<S>, db: Db) => Promise<P>;
  change: (trx: Tx, data: z.output<S>, prepared: P) => Promise<Change<R>>;
}

/*
 * The one shape of a domain write: the actor's role first, then the input
 * parsed (an invalid_input error names each field), then one transaction holding the
 * change and its audit entry (a failed audit rolls the change back), then,
 * once the transaction settles either way, the public caches invalidated.
 * test/unit/write-shape.test.ts holds every write in lib/domain and
 * lib/auth to this shape.
 */
export async function write<S extends z.ZodType, R, P = undefined>(
  db: Db,
  actor: Actor,
  input: unknown,
  spec: WriteSpec<S, R, P>,
): Promise<R> {
  requireRole(actor, spec.role);
  const data = parseInput(spec.schema, input);
  const prepared = (spec.prepare ? await spec.prepare(data, db) : undefined) as P;
  const committed = db.transaction().execute(async (trx) => {
    const { result, audit } = await spec.change(trx, data, prepared);
    if (audit) await recordAudit(trx, actor, audit);
    return result;
  });
  return spec.public ? committed.finally(invalidatePublic) : committed;
}

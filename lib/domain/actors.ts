import type { AuditSource } from "#db/schema.ts";
import { AppError } from "#lib/core/errors.ts";

export type Role = "owner" | "editor" | "viewer";

/** Who is making a change: a signed-in user, an API key, or the system (seed, scheduler). */
export interface Actor {
  id: string;
  name: string;
  source: AuditSource;
  role: Role;
  ip?: string | null;
}

export const systemActor: Actor = { id: "system", name: "system", source: "system", role: "owner" };

const roleRank: Record<Role, number> = { viewer: 0, editor: 1, owner: 2 };

export function can(actor: Pick<Actor, "role">, needed: Role): boolean {
  return roleRank[actor.role] >= roleRank[needed];
}

/** The first step of every write: the caller must hold the right. */
export function requireRole(actor: Actor, needed: Role): void {
  if (!can(actor, needed)) throw new AppError("forbidden", `${needed} role required`);
}

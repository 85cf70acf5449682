import type { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { Actor, Role } from "#lib/domain/actors.ts";
import type { noQuery } from "./schemas.ts";

/*
 * What one operation of /api/v1 is (./operations.ts lists them): method,
 * path, the role it needs, its schemas and what it runs.
 */

export const API_BASE = "/api/v1";

export interface Context<Q, B> {
  db: Db;
  actor: Actor;
  params: { id: string };
  query: Q;
  body: B;
}

export type Tag = "Incidents" | "Components" | "Maintenance" | "Metrics" | "Channel subscribers" | "Reliability";

export interface Operation<Q extends z.ZodType, B extends z.ZodType, T> {
  operationId: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** OpenAPI path template under /api/v1. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  role: Role;
  query?: Q;
  /** None: the request has no body (DELETE, actions on a resource). */
  body?: { name: string; schema: B };
  /** Creates honour the Idempotency-Key header. */
  idempotent?: boolean;
  response: { status: 200 | 201 | 204; name: string; schema: z.ZodType };
  /** For writes: the domain call. For reads: the response body. */
  run(ctx: Context<z.output<Q>, z.output<B>>): Promise<T>;
  /**
   * For writes: the response body, built inside the write's transaction
   * from what that transaction returned (the domain call's result).
   */
  present?(reader: Db | Tx, result: T): Promise<unknown>;
  /** For creates: where the new resource lives. */
  location?(body: unknown): string;
}

export function operation<Q extends z.ZodType = typeof noQuery, B extends z.ZodType = z.ZodUnknown, T = unknown>(
  spec: Operation<Q, B, T>,
): Operation<Q, B, T> {
  return spec;
}

export type AnyOperation = Operation<z.ZodType, z.ZodType, unknown>;

import { z } from "zod";
import { databaseUnavailable } from "#db/client.ts";
import { ConflictError, expectedError, ForbiddenError, InputError, NotFoundError, type FieldIssue } from "#lib/core/errors.ts";
import { UnauthorizedError } from "#lib/domain/api-keys.ts";
import { noStoreJson } from "./responses.ts";

/** The body of every error answer of the API. */
export const apiErrorBody = z.object({
  error: z.object({
    message: z.string(),
    issues: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .meta({ description: "One entry per failing field (dotted path, or a header name); empty otherwise." }),
  }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBody>;

/** Errors the API answers with a status of its own choosing (malformed JSON, bad query). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function errorBody(message: string, issues: FieldIssue[] = []): ApiErrorBody {
  return { error: { message, issues } };
}

export function errorResponse(caught: unknown): Response {
  const error = expectedError(caught);
  if (error instanceof ApiError) return noStoreJson(error.status, errorBody(error.message, error.issues));
  if (error instanceof UnauthorizedError) {
    return noStoreJson(401, errorBody(error.message), { "WWW-Authenticate": 'Bearer realm="candor"' });
  }
  if (error instanceof ForbiddenError) return noStoreJson(403, errorBody(error.message));
  if (error instanceof NotFoundError) return noStoreJson(404, errorBody(error.message));
  if (error instanceof ConflictError) return noStoreJson(409, errorBody(error.message));
  if (error instanceof InputError) return noStoreJson(422, errorBody("the request is invalid", error.issues));
  if (databaseUnavailable(error)) {
    console.error("[api/v1] database unavailable:", (error as Error).message);
    return noStoreJson(503, errorBody("the database is unavailable; try again shortly"), { "Retry-After": "5" });
  }
  console.error("[api/v1]", error);
  return noStoreJson(500, errorBody("internal error"));
}

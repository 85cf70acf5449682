import { z } from "zod";
import { databaseUnavailable } from "#db/client.ts";
import { expectedError, isAppError, type AppError, type ErrorCode } from "#lib/core/errors.ts";
import { noStoreJson } from "./responses.ts";

/*
 * The one mapping from an error to HTTP: an AppError's code gives the
 * status, its details the headers; an unreachable database is a 503 and
 * anything else a 500 (a bug, logged).
 */

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid_input: 422,
  rate_limited: 429,
};

/** The status and headers an AppError answers with. */
export function httpStatusOf(error: AppError): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error.code === "unauthorized") headers["WWW-Authenticate"] = 'Bearer realm="candor"';
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return { status: STATUS[error.code], headers };
}

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

type Issues = ApiErrorBody["error"]["issues"];

/** How an API spells an error's message and issues; the status comes from the one mapping above. */
export type ErrorBodyShape = (message: string, issues?: Issues) => object;

function errorBody(message: string, issues: Issues = []): ApiErrorBody {
  return { error: { message, issues } };
}

/** Statuspage's clients read either `error` or `message`: both are sent (the issues join the message). */
export const statuspageErrorBody: ErrorBodyShape = (message, issues = []) => {
  const text = issues.length ? `${message}: ${issues.map((i) => `${i.field} ${i.message}`).join("; ")}` : message;
  return { error: text, message: text };
};

/** Any caught error as a JSON answer (by default `{ error: { message, issues } }`, no-store). */
export function errorResponse(caught: unknown, shape: ErrorBodyShape = errorBody): Response {
  const error = expectedError(caught);
  if (isAppError(error)) {
    const { status, headers } = httpStatusOf(error);
    // The issues name what is wrong; the message over them stays general.
    const message = error.code === "invalid_input" ? "the request is invalid" : error.message;
    return noStoreJson(status, shape(message, error.issues), headers);
  }
  if (databaseUnavailable(error)) {
    console.error("[api/v1] database unavailable:", (error as Error).message);
    return noStoreJson(503, shape("the database is unavailable; try again shortly"), { "Retry-After": "5" });
  }
  console.error("[api/v1]", error);
  return noStoreJson(500, shape("internal error"));
}

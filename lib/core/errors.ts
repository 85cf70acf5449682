import { z } from "zod";

export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * What an expected refusal is about. Each code answers with one HTTP status
 * (lib/http/error-responses.ts) and one form state (lib/core/forms.ts).
 */
export type ErrorCode =
  /** The input breaks a rule; `issues` names each failing field. */
  | "invalid_input"
  /** The request itself is malformed: not JSON, a bad query string or header. */
  | "bad_request"
  | "payload_too_large"
  /** No valid credentials. */
  | "unauthorized"
  /** The actor's role does not allow it. */
  | "forbidden"
  | "not_found"
  /** It clashes with the current state: an invite already used, a write still in progress. */
  | "conflict"
  /** Too many attempts; `retryAfterSeconds` when the wait is known. */
  | "rate_limited";

/** Every refusal a caller may see is an AppError with a code; any other error is a bug (or the database down). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly retryAfterSeconds: number | undefined;
  constructor(code: ErrorCode, message: string, details: { issues?: FieldIssue[]; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.issues = details.issues ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** Whether `error` is an AppError (with one of `codes`, when given). */
export function isAppError(error: unknown, ...codes: ErrorCode[]): error is AppError {
  return error instanceof AppError && (codes.length === 0 || codes.includes(error.code));
}

/** Bad input: one message per failing field so forms and APIs can name it. */
export function invalidInput(issues: FieldIssue[]): AppError {
  const message = issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; ");
  return new AppError("invalid_input", message, { issues });
}

/** `what` does not exist (or is not the caller's to see). */
export function notFound(what: string): AppError {
  return new AppError("not_found", `${what} not found`);
}

/** One issue per zod failure, named by its dotted path (after `prefix`, e.g. a header's name). */
export function issuesOf(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => ({ field: prefix + issue.path.join("."), message: issue.message }));
}

/** Parse with zod at the edge; failures become an invalid_input AppError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw invalidInput(issuesOf(result.error));
}

/*
 * PostgreSQL's refusals of a value (SQLSTATE class 22, data exception: bad
 * bytes, out-of-range dates and numbers, too long) and of a row (class 23,
 * integrity constraint violation) are the caller's mistake, not the
 * server's: they answer 4xx like any invalid_input or conflict. The input
 * schemas should have caught them first, so each one is logged.
 */
export function expectedError(error: unknown): unknown {
  const { code, column, constraint } = (error ?? {}) as { code?: unknown; column?: unknown; constraint?: unknown };
  if (typeof code !== "string" || !/^2[23][0-9A-Z]{3}$/.test(code)) return error;
  console.warn(`[input] the database refused a write the schemas let through (${code}): ${(error as Error).message}`);
  if (code === "23505") return new AppError("conflict", "conflicts with an existing record");
  const field = typeof column === "string" ? column : typeof constraint === "string" ? constraint : "";
  return invalidInput([{ field, message: code.startsWith("22") ? "has a value the database cannot store" : "breaks a rule of the data" }]);
}

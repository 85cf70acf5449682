import { z } from "zod";

export interface FieldIssue {
  field: string;
  message: string;
}

/** Bad input: carries one message per failing field so forms and APIs can name it. */
export class InputError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join("; "));
    this.name = "InputError";
    this.issues = issues;
  }
}

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends Error {
  constructor(message = "not allowed") {
    super(message);
    this.name = "ForbiddenError";
  }
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/** Parse with zod at the edge; failures become an InputError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(
    result.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message })),
  );
}

/*
 * PostgreSQL's refusals of a value (SQLSTATE class 22, data exception: bad
 * bytes, out-of-range dates and numbers, too long) and of a row (class 23,
 * integrity constraint violation) are the caller's mistake, not the
 * server's: they answer 4xx like any InputError or ConflictError. The input
 * schemas should have caught them first, so each one is logged.
 */
export function expectedError(error: unknown): unknown {
  const { code, column, constraint } = (error ?? {}) as { code?: unknown; column?: unknown; constraint?: unknown };
  if (typeof code !== "string" || !/^2[23][0-9A-Z]{3}$/.test(code)) return error;
  console.warn(`[input] the database refused a write the schemas let through (${code}): ${(error as Error).message}`);
  if (code === "23505") return new ConflictError("conflicts with an existing record");
  const field = typeof column === "string" ? column : typeof constraint === "string" ? constraint : "";
  return new InputError([{ field, message: code.startsWith("22") ? "has a value the database cannot store" : "breaks a rule of the data" }]);
}

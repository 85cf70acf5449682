import qs from "qs";
import { z } from "zod";
import { AppError, invalidInput, issuesOf } from "#lib/core/errors.ts";
import { parseJsonText, readBodyText } from "#lib/http/request-body.ts";

/*
 * Statuspage's clients send a body either as JSON ({"incident": {...}}) or
 * form-urlencoded with bracket names (incident[components][abc]=major_outage,
 * incident[component_ids][]=x). Both become the same plain object, parsed by
 * one zod schema, so a field fails with the same name either way.
 *
 * Bracket names are parsed by `qs` (the parser Express and Rails-style
 * clients agree on): it refuses __proto__ and friends by default, and the
 * bounds below keep a hostile body from building deep or huge structures.
 */
const FORM_OPTIONS: qs.IParseOptions = {
  depth: 5,
  strictDepth: true,
  parameterLimit: 2000,
  arrayLimit: 500,
  allowPrototypes: false,
  allowDots: false,
  // qs keeps a malformed escape (%E0%A4%A) as literal text; a form that is not UTF-8 is refused instead.
  decoder: (text) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      throw new AppError("bad_request", "the form body has a malformed %-escape (not UTF-8)");
    }
  },
};

const FORM = /^application\/x-www-form-urlencoded\b/i;

/** The request body as a plain object ({} when empty), from JSON or a bracket-notation form. */
export async function readStatuspageBody(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  if (!text.trim()) return {};
  if (FORM.test(request.headers.get("content-type") ?? "")) {
    try {
      return qs.parse(text, FORM_OPTIONS);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("bad_request", `the form body nests deeper than ${FORM_OPTIONS.depth} brackets`);
    }
  }
  return parseJsonText(text);
}

/** Parse `body` with `schema`; a failure names each field as the client spelled it (incident.components.abc). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput(issuesOf(parsed.error));
  return parsed.data;
}

/** Parse a query string with `schema` (api_key is the credential, not a parameter); a failure is a 400 naming the parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: URLSearchParams): z.output<T> {
  const fields = Object.fromEntries([...query].filter(([name]) => name !== "api_key"));
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new AppError("bad_request", "invalid query parameters", { issues: issuesOf(parsed.error) });
  return parsed.data;
}

/** A boolean from JSON, or from a form's text ("true"/"false", "1"/"0"). */
export const flag = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")], {
  error: "must be true or false",
});

/** A list from JSON, or from a form (a[]=x, or one a=x). */
export function list<T extends z.ZodType>(item: T, max = 500) {
  return z.preprocess((v) => (typeof v === "string" ? (v === "" ? [] : [v]) : v), z.array(item).max(max, `lists at most ${max}`));
}

/** Text where a form's empty field means "not given". */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
}

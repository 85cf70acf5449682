import { z } from "zod";
import { expectedError, isAppError } from "./errors.ts";
import { PUBLIC_ID } from "./ids.ts";
import { placeholderList, placeholdersIn } from "./placeholders.ts";
import { zoneOffsetMinutes } from "./time.ts";

/*
 * The shared schemas for what people type, used by every input edge (admin
 * forms, server actions, the management API, the public forms).
 *
 * Text is NFC-normalised and refused when it carries characters that only
 * corrupt or hide: control characters (PostgreSQL refuses NUL in text, and
 * the others are invisible), lone surrogates (not encodable as UTF-8), and
 * bidi overrides, embeddings and isolates inside the text (they reorder what
 * a reader sees: "Trojan Source"). Whitespace, zero-width characters and
 * bidi controls at either end are trimmed, so a name made only of them is
 * empty, and an empty required field is refused.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// Markdown bodies keep newlines and tabs (CRLF from a textarea becomes \n first).
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE = "\\s\\u00ad\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff";
const EDGES = new RegExp(`^[${INVISIBLE}]+|[${INVISIBLE}]+$`, "g");

export interface TextOptions {
  /** Most characters accepted (after normalising). */
  max: number;
  /** Fewest characters accepted when not blank (after normalising). */
  min?: number;
  /** Markdown bodies and other multi-line text: newlines and tabs allowed. */
  multiline?: boolean;
  /** false: blank is accepted and becomes "". */
  required?: boolean;
}

/** Text typed by a person: cleaned as described above, trimmed, bounded; a string out. */
export function text({ max, min = 0, multiline = false, required = true }: TextOptions) {
  return z
    .string({ error: "must be text" })
    .transform((raw, ctx) => {
      const fail = (message: string) => {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      };
      if (!raw.isWellFormed()) return fail("is not valid Unicode text");
      let value = raw.normalize("NFC");
      if (multiline) value = value.replace(/\r\n?/g, "\n");
      if ((multiline ? CONTROL_IN_BODY : CONTROL).test(value)) {
        return fail(multiline ? "contains a control character" : "contains a control character or a line break");
      }
      value = value.replace(EDGES, "");
      if (BIDI_CONTROL.test(value)) return fail("contains a bidirectional override character");
      if (required && value === "") return fail("is required");
      // Counted in code points, as PostgreSQL's length() counts: five emoji are five characters, not ten.
      if (value !== "" && [...value].length < min) return fail(`is at least ${min} characters`);
      if (value.length > max) return fail(`is at most ${max} characters`);
      return value;
    })
    .meta({ maxLength: max });
}

/** Text to publish: refused while it still has `{{placeholders}}`, naming them. */
export function filledText(options: TextOptions) {
  return text(options).refine((value) => placeholdersIn(value).length === 0, {
    error: (issue) => `still has unfilled placeholders: ${placeholderList(placeholdersIn(String(issue.input)))}`,
  });
}

/** A 12-character public id (lib/core/ids.ts); anything else is refused before it reaches a query. */
export function publicIdField(what: string) {
  return z.string({ error: `is not a ${what} id` }).regex(PUBLIC_ID, `is not a ${what} id`);
}

/*
 * Integration metadata (Statuspage's incident `metadata`): an object of
 * objects of short scalars, e.g. {"jira": {"issue_id": "OPS-1"}}; bounded so
 * it stays a tag, not a store.
 */
const metadataKey = z.string().min(1).max(100, "is at most 100 characters");
export const metadataField = z
  .record(metadataKey, z.record(metadataKey, z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])), {
    error: "must be an object of objects",
  })
  .refine((m) => Object.keys(m).length <= 50 && JSON.stringify(m).length <= 16_384, "is too large (at most 50 entries, 16 KB)");

/** A whole number in [min, max], from a number or its decimal digits (a form field); nothing else coerced. */
export function wholeNumber(min: number, max: number) {
  return z
    .union([z.number(), z.string().trim().regex(/^[+-]?\d{1,16}$/).transform(Number)], { error: "must be a whole number" })
    .pipe(z.number().int("must be a whole number").min(min, `is at least ${min}`).max(max, `is at most ${max}`));
}

/*
 * Dates people and machines send. PostgreSQL's timestamptz and JavaScript's
 * Date cover different ranges (4713 BC–294276 AD against ±275760): a status
 * page needs neither end, so anything outside 1970–9999 is refused here
 * with the field's name instead of failing in the database.
 */
export const EARLIEST_DATE = new Date("1970-01-01T00:00:00.000Z");
export const LATEST_DATE = new Date("9999-12-31T23:59:59.999Z");
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The calendar day exists (Date would roll 2026-02-31 over to March). */
function realDay(value: string): boolean {
  const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value.slice(0, 10));
}
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE_TIME_MESSAGE = "must be a date-time between 1970 and 9999 (ISO 8601, e.g. 2026-05-01T14:30:00Z)";

/** A moment: a Date, or an ISO 8601 date or date-time string (RFC 3339 in the API); a Date out. */
export const dateTimeField = z
  .union([z.date(), z.string().trim().max(40).regex(ISO_DATE_TIME).or(z.string().trim().regex(ISO_DATE)).refine(realDay)], {
    error: DATE_TIME_MESSAGE,
  })
  .transform((value) => (value instanceof Date ? value : new Date(value)))
  .pipe(z.date({ error: DATE_TIME_MESSAGE }).min(EARLIEST_DATE, DATE_TIME_MESSAGE).max(LATEST_DATE, DATE_TIME_MESSAGE));

/** A calendar day, YYYY-MM-DD, within the same range; the string out. */
export const dateField = z
  .string({ error: "must be a date (YYYY-MM-DD)" })
  .regex(ISO_DATE, "must be a date (YYYY-MM-DD)")
  .refine((day) => realDay(day) && day >= "1970-01-01", "must be a date (YYYY-MM-DD) between 1970 and 9999");

/*
 * What an admin form's server action returns: errors by field name (shown
 * next to the field), a general message, and the submitted values so the
 * form comes back filled — nothing typed is lost on an error.
 */
export interface FormState {
  ok?: boolean;
  message?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

/** FormData's text fields (files ignored); a repeated name (checkboxes) is kept comma-joined. */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    values[key] = key in values ? `${values[key]},${value}` : value;
  }
  return values;
}

/**
 * A `datetime-local` value ("2026-11-23T14:30") read in the page's time
 * zone; null when blank or not a date-time.
 */
export function zonedDateTime(value: string | undefined, zone: string): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const asUtc = Date.parse(`${value}Z`);
  let guess = asUtc - zoneOffsetMinutes(new Date(asUtc), zone) * 60_000;
  // A second pass settles instants next to a DST change.
  guess = asUtc - zoneOffsetMinutes(new Date(guess), zone) * 60_000;
  return new Date(guess);
}

/** The reverse, for pre-filling a `datetime-local` input in the page's zone. */
export function localInputValue(date: Date, zone: string): string {
  return new Date(date.getTime() + zoneOffsetMinutes(date, zone) * 60_000).toISOString().slice(0, 16);
}

/**
 * For a form with no message area (a button in a list): an expected refusal
 * (a tampered id, a row another admin already removed) leaves the data as it
 * is and the page reloads; anything else is a bug and is rethrown.
 */
export function ignoreRefusal(caught: unknown): void {
  if (isAppError(expectedError(caught), "invalid_input", "not_found", "conflict")) return;
  throw caught;
}

/**
 * The one mapping from an error to form state: an expected failure (bad
 * input, a conflict, a missing row, a role too low) becomes the state the
 * form shows; anything else is a bug and is rethrown.
 */
export function failedState(caught: unknown, values: Record<string, string>, fieldNames: Record<string, string> = {}): FormState {
  const error = expectedError(caught);
  if (isAppError(error, "invalid_input")) {
    const errors: Record<string, string> = {};
    for (const issue of error.issues) {
      const field = fieldNames[issue.field] ?? issue.field.split(".")[0] ?? "";
      errors[field || "form"] ??= issue.message;
    }
    return { errors, values, message: "Please fix the highlighted fields." };
  }
  if (isAppError(error, "conflict", "not_found")) return { message: error.message, values };
  if (isAppError(error, "forbidden")) return { message: "Your role does not allow this.", values };
  throw error;
}

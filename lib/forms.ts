import { ConflictError, ForbiddenError, InputError, NotFoundError } from "./errors.ts";
import { zoneOffsetMinutes } from "./time.ts";

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
 * An expected failure (bad input, a conflict, a missing row, a role too
 * low) becomes form state; anything else is a bug and is rethrown.
 */
export function failedState(error: unknown, values: Record<string, string>, fieldNames: Record<string, string> = {}): FormState {
  if (error instanceof InputError) {
    const errors: Record<string, string> = {};
    for (const issue of error.issues) {
      const field = fieldNames[issue.field] ?? issue.field.split(".")[0] ?? "";
      errors[field || "form"] ??= issue.message;
    }
    return { errors, values, message: "Please fix the highlighted fields." };
  }
  if (error instanceof ConflictError || error instanceof NotFoundError) return { message: error.message, values };
  if (error instanceof ForbiddenError) return { message: "Your role does not allow this.", values };
  throw error;
}

import type { FormState } from "#lib/core/forms.ts";
import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";

/*
 * The report form's answer without JavaScript, as a query string and back
 * (see ./actions.ts): which fields were refused, never what was typed; read
 * back in the reader's locale.
 */
const FIELDS = ["component", "description", "email", "challenge"] as const;
const isField = (field: string): field is (typeof FIELDS)[number] => (FIELDS as readonly string[]).includes(field);

export function reportAnswerQuery(state: FormState, locale: Locale): string {
  if (state.ok) return "result=sent";
  const fields = Object.keys(state.errors ?? {}).filter(isField);
  if (fields.length > 0) return `result=invalid&fields=${fields.join(",")}`;
  return state.message === translator(locale, "report")("limited") ? "result=limited" : "result=off";
}

export function reportAnswerState(params: Record<string, string | string[] | undefined>, locale: Locale): FormState {
  const t = translator(locale, "report");
  const fields = typeof params.fields === "string" ? params.fields.split(",").filter(isField) : [];
  switch (params.result) {
    case "sent":
      return { ok: true };
    case "invalid":
      // Without JavaScript the proof of work cannot have been solved: its error says it needs JavaScript.
      return fields.length > 0 ? { errors: Object.fromEntries(fields.map((f) => [f, t(`errors.${f}`)])), message: t("fix") } : {};
    case "limited":
      return { message: t("limited") };
    default:
      return {};
  }
}

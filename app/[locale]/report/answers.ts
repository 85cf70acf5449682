import type { FormState } from "#lib/core/forms.ts";

/*
 * The report form's answer without JavaScript, as a query string and back
 * (see ./actions.ts): which fields were refused, never what was typed.
 */
export const REPORT_MESSAGES = {
  limited: "Too many reports from your network. Please wait an hour before trying again.",
  off: "Problem reports are not accepted at the moment.",
};
const FIELD_MESSAGES: Record<string, string> = {
  component: "is not a component on this page",
  description: "must be 10 to 2000 characters of plain text",
  email: "must be an email address, or left empty",
  challenge: "needs JavaScript to check you are a person; please turn it on and send again",
};

export function reportAnswerQuery(state: FormState): string {
  if (state.ok) return "result=sent";
  const fields = Object.keys(state.errors ?? {}).filter((f) => f in FIELD_MESSAGES);
  if (fields.length > 0) return `result=invalid&fields=${fields.join(",")}`;
  return state.message === REPORT_MESSAGES.limited ? "result=limited" : "result=off";
}

export function reportAnswerState(params: Record<string, string | string[] | undefined>): FormState {
  const fields = typeof params.fields === "string" ? params.fields.split(",").filter((f) => f in FIELD_MESSAGES) : [];
  switch (params.result) {
    case "sent":
      return { ok: true };
    case "invalid":
      return fields.length > 0 ? { errors: Object.fromEntries(fields.map((f) => [f, FIELD_MESSAGES[f]])), message: "Please fix the highlighted fields." } : {};
    case "limited":
      return { message: REPORT_MESSAGES.limited };
    default:
      return {};
  }
}

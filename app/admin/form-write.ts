import { refresh } from "next/cache";
import type { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";

export type Session = Awaited<ReturnType<typeof requireSession>>;

/**
 * An admin form's write, the way every such action runs it: with the
 * session the action asked for (each action calls requireSession itself, so
 * its role stands in its own body), the form's values, the write; then the
 * page data is refreshed and the write's own state returned. An expected
 * failure becomes the form's state with the values kept (failedState,
 * `fieldNames` mapping error fields to form fields).
 */
export async function formWrite<S extends FormState>(
  session: Session,
  form: FormData,
  run: (session: Session, values: Record<string, string>) => Promise<S>,
  fieldNames?: Record<string, string>,
): Promise<S | FormState> {
  const values = formValues(form);
  try {
    const state = await run(session, values);
    refresh();
    return state;
  } catch (error) {
    return failedState(error, values, fieldNames);
  }
}

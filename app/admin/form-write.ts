import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import type { Role } from "#lib/domain/actors.ts";

export type Session = Awaited<ReturnType<typeof requireSession>>;

/**
 * An admin form's write, the way every such action runs it: the session at
 * `role` (without one the caller is sent to sign-in before the form is read),
 * the form's values, the write; then the page data is refreshed and the
 * write's own state returned. An expected failure becomes the form's state
 * with the values kept (failedState, `fieldNames` mapping error fields to
 * form fields).
 */
export async function formWrite<S extends FormState>(
  role: Role,
  form: FormData,
  run: (session: Session, values: Record<string, string>) => Promise<S>,
  fieldNames?: Record<string, string>,
): Promise<S | FormState> {
  const session = await requireSession(role);
  const values = formValues(form);
  try {
    const state = await run(session, values);
    refresh();
    return state;
  } catch (error) {
    return failedState(error, values, fieldNames);
  }
}

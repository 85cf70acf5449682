"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { clientIp } from "#lib/http/client-ip.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import { isAppError } from "#lib/core/errors.ts";
import { HONEYPOT_FIELD, problemReports } from "#lib/domain/problem-reports.ts";
import { reportAlerts } from "#lib/domain/report-alerts.ts";
import { CHALLENGE_FIELD } from "#lib/domain/report-challenges.ts";
import { REPORT_MESSAGES, reportAnswerQuery } from "./answers.ts";

/*
 * Public by design: anyone may report a problem (limited per client and per
 * component, honeypot, refused while reports are off). With JavaScript the
 * state comes back in place, typed values kept. Without it, the answer
 * travels in the URL (and the typed text is not kept: it never goes into a
 * URL): Next resumes this page's prerendered shell, and a resumed render
 * does not take an action's state, so a no-JavaScript post would show the
 * empty form again.
 */
export async function reportAction(_state: FormState, form: FormData): Promise<FormState> {
  const h = await headers();
  const state = await submit(form, clientIp(h));
  if (!h.has("next-action")) redirect(`/report?${reportAnswerQuery(state)}`);
  return state;
}

async function submit(form: FormData, ip: string | null): Promise<FormState> {
  const values = formValues(form);
  const input = {
    component: values.component ?? "",
    description: values.description ?? "",
    email: values.email ?? "",
    [HONEYPOT_FIELD]: values[HONEYPOT_FIELD] ?? "",
    [CHALLENGE_FIELD]: values[CHALLENGE_FIELD] ?? "",
  };
  const kept = { component: input.component, description: input.description, email: input.email };
  try {
    await problemReports.submit(input, ip);
    // The spike check and its emails run after the answer is sent: a reporter never waits on them.
    after(() => reportAlerts.afterReport(input.component || null));
    return { ok: true };
  } catch (error) {
    if (isAppError(error, "rate_limited")) return { message: REPORT_MESSAGES.limited, values: kept };
    if (isAppError(error, "not_found")) return { message: REPORT_MESSAGES.off, values: kept };
    return failedState(error, kept);
  }
}

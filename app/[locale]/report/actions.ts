"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { z } from "zod";
import { clientIp } from "#lib/http/client-ip.ts";
import { failedState, formValues, type FormState } from "#lib/core/forms.ts";
import { isAppError } from "#lib/core/errors.ts";
import { localePath, LOCALES, type Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { HONEYPOT_FIELD, problemReports } from "#lib/domain/problem-reports.ts";
import { reportAlerts } from "#lib/domain/report-alerts.ts";
import { CHALLENGE_FIELD } from "#lib/domain/report-challenges.ts";
import { reportAnswerQuery } from "./answers.ts";

/** The form's hidden `locale`: the language the reader sees the form in. */
const localeField = z.enum(LOCALES);

/*
 * Public by design: anyone may report a problem (limited per client and per
 * component, honeypot, refused while reports are off). With JavaScript the
 * state comes back in place, typed values kept. Without it, the answer
 * travels in the URL (and the typed text is not kept: it never goes into a
 * URL): Next resumes this page's prerendered shell, and a resumed render
 * does not take an action's state, so a no-JavaScript post would show the
 * empty form again. Answers are in the form's locale; a missing or unknown
 * one is the page's default.
 */
export async function reportAction(_state: FormState, form: FormData): Promise<FormState> {
  const h = await headers();
  const values = formValues(form);
  const withScript = h.has("next-action");
  const asked = localeField.safeParse(values.locale);
  // The page's default locale: for a form without one, and for the no-JavaScript answer's address.
  const defaultLocale = asked.success && withScript ? null : (await problemReports.settings()).defaultLocale;
  const locale = asked.success ? asked.data : defaultLocale!;
  const state = await submit(values, clientIp(h), locale);
  if (!withScript) redirect(`${localePath(locale, "/report", defaultLocale!)}?${reportAnswerQuery(state, locale)}`);
  return state;
}

async function submit(values: Record<string, string>, ip: string | null, locale: Locale): Promise<FormState> {
  const input = {
    component: values.component ?? "",
    description: values.description ?? "",
    email: values.email ?? "",
    [HONEYPOT_FIELD]: values[HONEYPOT_FIELD] ?? "",
    [CHALLENGE_FIELD]: values[CHALLENGE_FIELD] ?? "",
  };
  const kept = { component: input.component, description: input.description, email: input.email };
  const t = translator(locale, "report");
  try {
    await problemReports.submit(input, ip, locale);
    // The spike check and its emails run after the answer is sent: a reporter never waits on them.
    after(() => reportAlerts.afterReport(input.component || null));
    return { ok: true };
  } catch (error) {
    if (isAppError(error, "rate_limited")) return { message: t("limited"), values: kept };
    if (isAppError(error, "not_found")) return { message: t("off"), values: kept };
    const failed = failedState(error, kept);
    return failed.errors ? { ...failed, message: t("fix") } : failed;
  }
}

"use server";

import { notFound, redirect } from "next/navigation";
import { isAppError } from "#lib/core/errors.ts";
import { reportOptOuts } from "#lib/domain/report-followups.ts";
import { pathInFormLocale } from "#lib/http/page-locale.ts";

export async function reportOptOutAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  try {
    await reportOptOuts.optOut(token);
  } catch (error) {
    if (isAppError(error, "not_found")) notFound();
    throw error;
  }
  redirect(await pathInFormLocale(form, `/report/stop/${encodeURIComponent(token)}?done=1`));
}

"use server";

import { after } from "next/server";
import type { FormState } from "#lib/core/forms.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { safeFetch } from "#lib/delivery/safe-http.ts";
import { startImportRun } from "#lib/imports/statuspage/runs.ts";
import { formWrite } from "../form-write.ts";

/* Starts the run and answers at once; the import goes on after the answer (progress on the page). */
export async function startImportAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("owner"), form, async ({ db, actor }, values) => {
    const input = values.mode === "management" ? { mode: values.mode, pageId: values.pageId, key: values.key, api: values.api || undefined } : { mode: values.mode, url: values.url };
    // The owner's URL is reached like a subscriber's webhook: never the server's own network, no redirects.
    const { job } = await startImportRun(db, actor, input, safeFetch);
    after(job);
    return { ok: true, message: "Import started: its progress shows below." };
  });
}

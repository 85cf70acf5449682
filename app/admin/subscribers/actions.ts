"use server";

import { refresh } from "next/cache";
import { requireSession } from "#lib/auth/sessions.ts";
import { ignoreRefusal, type FormState } from "#lib/core/forms.ts";
import { deleteSubscriber } from "#lib/domain/subscribers/admin.ts";
import { importSubscribersCsv } from "#lib/domain/subscribers/csv.ts";
import { formWrite } from "../form-write.ts";

export async function importAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    const report = await importSubscribersCsv(db, actor, { csv: values.csv ?? "" });
    const rejected = report.rejected.map((r) => `line ${r.line} (${r.email || "empty"}): ${r.reason}`).join("; ");
    return {
      ok: report.rejected.length === 0,
      message:
        `Imported ${report.imported}: ${report.active} active, ${report.confirmationsSent} sent a confirmation email.` +
        (report.rejected.length > 0 ? ` Rejected ${report.rejected.length}: ${rejected}` : ""),
    };
  });
}

export async function deleteAction(form: FormData): Promise<void> {
  const { actor, db } = await requireSession("editor");
  await deleteSubscriber(db, actor, { id: String(form.get("id") ?? "") }).catch(ignoreRefusal);
  refresh();
}

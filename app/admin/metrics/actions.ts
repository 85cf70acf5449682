"use server";

import type { FormState } from "#lib/core/forms.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { createMetric, deleteMetric, editMetric } from "#lib/domain/metrics.ts";
import { formWrite } from "../form-write.ts";

/* The form's text fields as the domain reads them; an unticked checkbox sends nothing. */
function metric(values: Record<string, string>) {
  return {
    name: values.name,
    suffix: values.suffix ?? "",
    decimalPlaces: values.decimalPlaces || "0",
    yAxisMin: values.yAxisMin ?? "",
    yAxisMax: values.yAxisMax ?? "",
    yAxisHidden: values.yAxisHidden === "on",
    tooltipDescription: values.tooltipDescription ?? "",
    display: values.display === "on",
  };
}

export async function createMetricAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await createMetric(db, actor, metric(values));
    return { ok: true, message: "Metric created." };
  });
}

export async function editMetricAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await editMetric(db, actor, { metricId: values.metricId, ...metric(values) });
    return { ok: true, message: "Saved.", values };
  });
}

export async function deleteMetricAction(_state: FormState, form: FormData): Promise<FormState> {
  return formWrite(await requireSession("editor"), form, async ({ db, actor }, values) => {
    await deleteMetric(db, actor, { metricId: values.metricId });
    return { ok: true, message: "Deleted." };
  });
}

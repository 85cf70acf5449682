import { requireSession } from "#lib/auth/sessions.ts";
import { reportCsv } from "#lib/core/report-table.ts";
import { reliabilityExport } from "../export.ts";

export async function GET(request: Request) {
  const { db } = await requireSession("viewer");
  return reliabilityExport(db, request, "csv", (doc) => reportCsv(doc.figures, doc.components, doc.period, doc.previousPeriod));
}

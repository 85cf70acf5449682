import type { Db } from "#db/client.ts";
import { AppError, issuesOf } from "#lib/core/errors.ts";
import { reportQuery } from "#lib/core/report-table.ts";
import { errorResponse } from "#lib/http/error-responses.ts";
import { reliabilityDocument, type ReliabilityDocument } from "#lib/domain/measures.ts";

const TYPES = { csv: "text/csv; charset=utf-8", json: "application/json; charset=utf-8" };

/* The report's downloads: the query as the page takes it, the document as /api/v1 gives it, as a file. */
export async function reliabilityExport(db: Db, request: Request, format: keyof typeof TYPES, render: (doc: ReliabilityDocument) => string) {
  try {
    const parsed = reportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    // As /api/v1 answers a bad query: 400 with each field named.
    if (!parsed.success) throw new AppError("bad_request", "invalid query parameters", { issues: issuesOf(parsed.error) });
    const query = parsed.data;
    const doc = await reliabilityDocument(db, query);
    const name = `reliability-${doc.period.firstDay}-${doc.period.endDay}${doc.component ? `-${doc.component.id}` : ""}.${format}`;
    return new Response(render(doc), {
      headers: { "content-type": TYPES[format], "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

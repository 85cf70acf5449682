import { requireSession } from "#lib/auth/sessions.ts";
import { exportSubscribersCsv } from "#lib/domain/subscribers/csv.ts";

export async function GET() {
  const { actor, db } = await requireSession("viewer");
  const csv = await exportSubscribersCsv(db, actor);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscribers-${new Date().toISOString().slice(0, 10)}.csv"`,
      "cache-control": "no-store",
    },
  });
}

import { requireSession } from "#lib/auth/sessions.ts";
import { reliabilityExport } from "../export.ts";

export async function GET(request: Request) {
  const { db } = await requireSession("viewer");
  return reliabilityExport(db, request, "json", (doc) => `${JSON.stringify(doc, null, 2)}\n`);
}

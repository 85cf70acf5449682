import { isAppError } from "#lib/core/errors.ts";
import { reportOptOuts } from "#lib/domain/report-followups.ts";

const noStore = { "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" };

/* RFC 8058 one-click, from the List-Unsubscribe header of a reporter's "it is fixed" email. */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const form = await request.formData().catch(() => null);
  if (form?.get("List-Unsubscribe") !== "One-Click") {
    return new Response("expected List-Unsubscribe=One-Click\n", { status: 400, headers: noStore });
  }
  try {
    await reportOptOuts.optOut(token);
  } catch (error) {
    if (isAppError(error, "not_found")) return new Response("unknown link\n", { status: 404, headers: noStore });
    throw error;
  }
  return new Response("done\n", { status: 200, headers: noStore });
}

/* A GET (a person or a scanner) only leads to the confirm page; relative, for proxies. */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return new Response(null, { status: 303, headers: { location: `/report/stop/${token}`, "cache-control": "no-store" } });
}

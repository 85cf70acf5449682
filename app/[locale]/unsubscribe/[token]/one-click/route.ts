import { isAppError } from "#lib/core/errors.ts";
import { subscriptions } from "#lib/domain/subscribers/subscriptions.ts";
import { tokenFromPath } from "#lib/domain/subscribers/links.ts";

const noStore = { "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" };
const unknownLink = () => new Response("unknown or revoked link\n", { status: 404, headers: noStore });

/*
 * RFC 8058 one-click unsubscribe: mail providers POST
 * `List-Unsubscribe=One-Click` here, from the List-Unsubscribe header.
 */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const token = tokenFromPath((await params).token);
  // RFC 8058 allows application/x-www-form-urlencoded or multipart/form-data.
  const form = await request.formData().catch(() => null);
  if (form?.get("List-Unsubscribe") !== "One-Click") {
    return new Response("expected List-Unsubscribe=One-Click\n", { status: 400, headers: noStore });
  }
  try {
    await subscriptions.unsubscribe(token);
  } catch (error) {
    if (isAppError(error, "not_found")) return unknownLink();
    throw error;
  }
  return new Response("unsubscribed\n", { status: 200, headers: noStore });
}

/*
 * A GET (a person or a scanner following the header's URL) only leads to the
 * confirm page. The Location is relative: behind a proxy the server's own
 * host (localhost:<port>) is not the one the person used.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const token = tokenFromPath((await params).token);
  if (!token) return unknownLink();
  return new Response(null, { status: 303, headers: { location: `/unsubscribe/${token}`, "cache-control": "no-store" } });
}

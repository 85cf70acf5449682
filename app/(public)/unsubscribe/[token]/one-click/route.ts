import { NotFoundError } from "../../../../../lib/errors.ts";
import { subscriptions } from "../../../../../lib/subscribers.ts";

/*
 * RFC 8058 one-click unsubscribe: mail providers POST
 * `List-Unsubscribe=One-Click` here, from the List-Unsubscribe header.
 */
export async function POST(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const noStore = { "cache-control": "no-store", "content-type": "text/plain; charset=utf-8" };
  // RFC 8058 allows application/x-www-form-urlencoded or multipart/form-data.
  const form = await request.formData().catch(() => null);
  if (form?.get("List-Unsubscribe") !== "One-Click") {
    return new Response("expected List-Unsubscribe=One-Click\n", { status: 400, headers: noStore });
  }
  try {
    await subscriptions.unsubscribe(decodeURIComponent(token));
  } catch (error) {
    if (error instanceof NotFoundError) return new Response("unknown or revoked link\n", { status: 404, headers: noStore });
    throw error;
  }
  return new Response("unsubscribed\n", { status: 200, headers: noStore });
}

/* A GET (a person or a scanner following the header's URL) only leads to the confirm page. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return Response.redirect(new URL(`/unsubscribe/${token}`, request.url), 303);
}

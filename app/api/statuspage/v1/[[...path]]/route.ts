import { handleStatuspageV1 } from "#lib/http/statuspage-v1/handler.ts";

/* Statuspage's v1 API, authenticated by an API key in `handleStatuspageV1` (reads need the read scope, writes the write scope). */
type Context = { params: Promise<{ path?: string[] }> };

async function handle(request: Request, { params }: Context) {
  return handleStatuspageV1(request, (await params).path ?? []);
}

export const GET = handle;
export const POST = handle;
export const PATCH = handle;
export const PUT = handle;
export const DELETE = handle;

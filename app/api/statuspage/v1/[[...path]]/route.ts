import { handleStatuspageV1 } from "#lib/http/statuspage-v1/handler.ts";

/* Statuspage's v1 API (read side), authenticated by an API key in `handleStatuspageV1`. */
export async function GET(request: Request, { params }: { params: Promise<{ path?: string[] }> }) {
  return handleStatuspageV1(request, (await params).path ?? []);
}

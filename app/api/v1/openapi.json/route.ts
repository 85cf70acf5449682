import { openApiResponse } from "#lib/http/management-api/openapi.ts";

// Public: the document is no secret. It reads the request URL, so it is answered per request (no-store, like all of /api/v1).
export const GET = (request: Request) => openApiResponse(request);

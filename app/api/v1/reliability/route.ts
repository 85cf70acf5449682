import { handle } from "#lib/http/management-api/handler.ts";

export const GET = (request: Request) => handle("getReliabilityReport", request);

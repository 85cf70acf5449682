import { handle } from "#lib/http/management-api/handler.ts";

export const GET = (request: Request) => handle("listIncidents", request);
export const POST = (request: Request) => handle("createIncident", request);

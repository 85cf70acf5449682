import { handle } from "#lib/http/management-api.ts";

export const GET = (request: Request) => handle("listComponents", request);

import { handle } from "#lib/http/management-api/handler.ts";

export const GET = (request: Request) => handle("listMaintenance", request);
export const POST = (request: Request) => handle("createMaintenance", request);

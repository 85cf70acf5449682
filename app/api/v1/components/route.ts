import { handle } from "../../../../lib/management-api.ts";

export const GET = (request: Request) => handle("listComponents", request);

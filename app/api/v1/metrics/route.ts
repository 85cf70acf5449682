import { handle } from "#lib/http/management-api/handler.ts";

export const GET = (request: Request) => handle("listMetrics", request);
export const POST = (request: Request) => handle("createMetric", request);

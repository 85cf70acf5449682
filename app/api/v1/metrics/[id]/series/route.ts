import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const GET = async (request: Request, { params }: Context) => handle("getMetricSeries", request, await params);

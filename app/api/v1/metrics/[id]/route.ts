import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const GET = async (request: Request, { params }: Context) => handle("getMetric", request, await params);
export const PATCH = async (request: Request, { params }: Context) => handle("editMetric", request, await params);

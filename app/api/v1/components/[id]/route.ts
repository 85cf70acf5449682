import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const GET = async (request: Request, { params }: Context) => handle("getComponent", request, await params);
export const PATCH = async (request: Request, { params }: Context) =>
  handle("changeComponentStatus", request, await params);

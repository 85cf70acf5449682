import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const GET = async (request: Request, { params }: Context) => handle("getChannelSubscriber", request, await params);
export const DELETE = async (request: Request, { params }: Context) => handle("deleteChannelSubscriber", request, await params);

import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const POST = async (request: Request, { params }: Context) => handle("reenableChannelSubscriber", request, await params);

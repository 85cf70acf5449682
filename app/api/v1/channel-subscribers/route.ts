import { handle } from "#lib/http/management-api/handler.ts";

export const GET = (request: Request) => handle("listChannelSubscribers", request);
export const POST = (request: Request) => handle("createChannelSubscriber", request);

import { handle } from "#lib/http/management-api/handler.ts";

type Context = { params: Promise<{ id: string }> };

export const PATCH = async (request: Request, { params }: Context) => handle("setIncidentMilestones", request, await params);

import { getAuth } from "../../../../lib/auth.ts";

/* better-auth's endpoints (sign-in, sign-out, session); it refuses foreign Origins itself. */
async function handle(request: Request): Promise<Response> {
  const auth = await getAuth();
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;

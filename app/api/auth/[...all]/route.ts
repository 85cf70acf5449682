import { authHandler } from "#lib/auth/sessions.ts";

/*
 * better-auth over HTTP: only sign-in, sign-out and the session. Everything
 * else it mounts (its admin plugin's create-user and set-role, password and
 * account endpoints) answers 404: users and roles change only through the
 * app's own actions, which apply the password policy and write the audit log.
 */
export const GET = authHandler;
export const POST = authHandler;

import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { withAuthTables, type AuthDb } from "../db/auth-schema.ts";
import { database, type Db } from "../db/client.ts";
import { requireRole, type Actor, type Role } from "./actors.ts";
import { CLIENT_IP_HEADER, clientIp } from "./client-ip.ts";

export const ROLES = ["owner", "editor", "viewer"] as const satisfies readonly Role[];
export const MIN_PASSWORD_LENGTH = 10;

/*
 * Failed sign-ins are counted per account and per IP over a sliding window;
 * past the limit the attempt is refused before the password is even checked.
 * Per-account limits stop a slow distributed guess at one password; the
 * per-IP limit stops one machine sweeping many accounts.
 */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perIp: 20 } as const;

export class ThrottledError extends Error {
  constructor() {
    super(`Too many failed sign-ins. Try again in ${THROTTLE.windowMinutes} minutes.`);
    this.name = "ThrottledError";
  }
}

export async function assertNotThrottled(db: Db, email: string, ip: string | null, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
  const adb = withAuthTables(db);
  const byAccount = await adb
    .selectFrom("login_failures")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("email", "=", email.toLowerCase())
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  if (Number(byAccount.n) >= THROTTLE.perAccount) throw new ThrottledError();
  if (!ip) return;
  const byIp = await adb
    .selectFrom("login_failures")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("ip", "=", ip)
    .where("at", ">", since)
    .executeTakeFirstOrThrow();
  if (Number(byIp.n) >= THROTTLE.perIp) throw new ThrottledError();
}

export async function recordLoginFailure(db: Db, email: string, ip: string | null): Promise<void> {
  await withAuthTables(db).insertInto("login_failures").values({ email: email.toLowerCase(), ip }).execute();
}

/** A successful sign-in forgives the account's earlier failures (not the IP's). */
export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await withAuthTables(db).deleteFrom("login_failures").where("email", "=", email.toLowerCase()).execute();
}

/*
 * The signing secret: BETTER_AUTH_SECRET when set, else one generated once and
 * kept in the database so every instance and every restart share it.
 */
async function authSecret(adb: AuthDb): Promise<string> {
  if (process.env.BETTER_AUTH_SECRET) return process.env.BETTER_AUTH_SECRET;
  await adb
    .insertInto("auth_secret")
    .values({ secret: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("singleton").doNothing())
    .execute();
  const row = await adb.selectFrom("auth_secret").select("secret").executeTakeFirstOrThrow();
  return row.secret;
}

/** The origin the browser addressed: its Host header (and the proxy's protocol), as Next's server actions compare. */
function sameOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? url.host;
  const protocol = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? url.protocol.replace(":", "");
  return `${protocol}://${host}`;
}

const ac = createAccessControl(defaultStatements);
const roles = { owner: ac.newRole(adminAc.statements), editor: ac.newRole(userAc.statements), viewer: ac.newRole(userAc.statements) };

export async function createAuth(db: Db) {
  const baseURL = process.env.BETTER_AUTH_URL ?? process.env.PUBLIC_URL;
  return betterAuth({
    appName: "Candor",
    baseURL,
    // With no configured URL, trust only the origin the request itself was sent to (same-origin), as Next's server actions do.
    trustedOrigins: baseURL ? [new URL(baseURL).origin] : async (request) => (request ? [sameOrigin(request)] : []),
    secret: await authSecret(withAuthTables(db)),
    database: { db, type: "postgres", transaction: true },
    user: { modelName: "users" },
    session: {
      modelName: "sessions",
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    account: { modelName: "accounts" },
    verification: { modelName: "verifications" },
    // Users are created by `admin:create`, invites and the demo start — never by open sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH },
    // On in every environment, not only production; stored in the database so instances share counts.
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rate_limits",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": { window: 60, max: 10 } },
    },
    advanced: {
      // Secure cookies when the configured public URL is https; HttpOnly and SameSite=Lax always.
      useSecureCookies: baseURL?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Explicit: better-auth would skip the Origin check under a test runner, and tests must prove it.
      disableOriginCheck: false,
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        try {
          await assertNotThrottled(db, email, clientIp(ctx.headers));
        } catch (error) {
          if (error instanceof ThrottledError) throw new APIError("TOO_MANY_REQUESTS", { message: error.message });
          throw error;
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        const returned = ctx.context.returned;
        if (returned instanceof APIError) {
          if (returned.statusCode === 401) await recordLoginFailure(db, email, clientIp(ctx.headers));
        } else {
          await clearLoginFailures(db, email);
        }
      }),
    },
    plugins: [admin({ ac, roles, defaultRole: "viewer", adminRoles: ["owner"] }), nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

const globalForAuth = globalThis as unknown as { candorAuth?: Promise<Auth> };

/** The better-auth instance on the process-wide database, created on first use. */
export function getAuth(): Promise<Auth> {
  if (!globalForAuth.candorAuth) {
    const creating = database().then((h) => createAuth(h.db));
    globalForAuth.candorAuth = creating;
    // Not memoized on failure: a database that was down at first use must not break sign-in forever.
    creating.catch(() => {
      if (globalForAuth.candorAuth === creating) globalForAuth.candorAuth = undefined;
    });
  }
  return globalForAuth.candorAuth;
}

function asRole(value: unknown): Role {
  return (ROLES as readonly unknown[]).includes(value) ? (value as Role) : "viewer";
}

/** The signed-in user as an Actor, or null. Reading cookies makes the calling page dynamic. */
export async function currentActor(): Promise<Actor | null> {
  const h = await headers();
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers: h });
  if (!session) return null;
  return {
    id: session.user.id,
    name: session.user.email,
    source: "session",
    role: asRole(session.user.role),
    ip: clientIp(h),
  };
}

/**
 * The gate of every admin page, server action and admin route handler:
 * no valid session → redirect to sign-in; a role below `role` → ForbiddenError.
 */
export async function requireActor(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/admin/sign-in");
  requireRole(actor, role);
  return actor;
}

/** requireActor plus the process-wide database: what an admin page or action needs to call lib. */
export async function requireSession(role: Role): Promise<{ actor: Actor; db: Db }> {
  const actor = await requireActor(role);
  return { actor, db: (await database()).db };
}

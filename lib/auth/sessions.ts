import { randomBytes } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements, userAc } from "better-auth/plugins/admin/access";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { withAuthTables, type AuthDb } from "#db/auth-schema.ts";
import { database, type Db } from "#db/client.ts";
import { can, type Actor, type Role } from "#lib/domain/actors.ts";
import { limitKeyOf } from "#lib/core/ip-addresses.ts";
import { addressedOrigin, CLIENT_IP_HEADER, clientIp, overHttps } from "#lib/http/client-ip.ts";
import { httpStatusOf } from "#lib/http/error-responses.ts";
import { isAppError } from "#lib/core/errors.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { gatedPassword } from "./password-hashing.ts";
import { claimSignInAttempt, forgiveSignInAttempts, type ThrottleKey } from "./sign-in-throttles.ts";

export const ROLES = ["owner", "editor", "viewer"] as const satisfies readonly Role[];
export const MIN_PASSWORD_LENGTH = 10;

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

const ac = createAccessControl(defaultStatements);
const roles = { owner: ac.newRole(adminAc.statements), editor: ac.newRole(userAc.statements), viewer: ac.newRole(userAc.statements) };

/** A browser that has signed in to an account: its attempts are throttled apart from everyone else's (lib/auth/sign-in-throttles.ts). */
const DEVICE_COOKIE = "candor_device";
const DEVICE_COOKIE_DAYS = 365;

interface AuthOptions {
  /** The request came over https (a trusted proxy said so): cookies are Secure whatever the configured URL says. */
  secure?: boolean;
}

export async function createAuth(db: Db, options: AuthOptions = {}) {
  const baseURL = process.env.BETTER_AUTH_URL ?? process.env.PUBLIC_URL;
  const pageUrl = await getPage(db)
    .then((page) => page.url)
    .catch(() => null);
  const secure = Boolean(options.secure || baseURL?.startsWith("https://") || pageUrl?.startsWith("https://"));
  return betterAuth({
    appName: "Candor",
    baseURL,
    // With no configured URL, trust only the origin the request itself was sent to (same-origin), as Next's server actions do.
    trustedOrigins: baseURL ? [new URL(baseURL).origin] : async (request) => (request ? [addressedOrigin(request.headers, request.url)] : []),
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
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH, password: gatedPassword },
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
      // Secure cookies when the configured URL, the page's URL or the request is https; HttpOnly and SameSite=Lax always.
      useSecureCookies: secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // Explicit: better-auth would skip the Origin check under a test runner, and tests must prove it.
      disableOriginCheck: false,
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        try {
          await claimSignInAttempt(db, await throttleKeys(ctx));
        } catch (error) {
          if (isAppError(error)) {
            const { status, headers } = httpStatusOf(error);
            // better-auth answers its own errors: hand it the status and headers of the one mapping.
            throw new APIError(status as ConstructorParameters<typeof APIError>[0], { message: error.message }, headers);
          }
          throw error;
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        if (ctx.context.returned instanceof Error) return;
        const email = signInEmail(ctx);
        await forgiveSignInAttempts(db, await throttleKeys(ctx));
        const device = `${randomBytes(12).toString("base64url")}|${email}`;
        await ctx.setSignedCookie(DEVICE_COOKIE, device, ctx.context.secret, {
          httpOnly: true,
          sameSite: "lax",
          secure,
          path: "/",
          maxAge: DEVICE_COOKIE_DAYS * 86_400,
        });
      }),
    },
    plugins: [admin({ ac, roles, defaultRole: "viewer", adminRoles: ["owner"] }), nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;

type HookContext = Parameters<Parameters<typeof createAuthMiddleware>[0]>[0];

function signInEmail(ctx: HookContext): string {
  const email = (ctx.body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}

/** A known device is throttled alone; anyone else by the account and the client's IP. */
async function throttleKeys(ctx: HookContext): Promise<ThrottleKey[]> {
  const email = signInEmail(ctx);
  const device = await ctx.getSignedCookie(DEVICE_COOKIE, ctx.context.secret);
  if (device) {
    const [id, owner] = device.split("|");
    if (id && owner === email) return [{ kind: "device", value: id }];
  }
  const ip = clientIp(ctx.headers);
  // The IP first: a sweep refused there is not charged to the account it tried.
  return [...(ip ? [{ kind: "ip" as const, value: limitKeyOf(ip) }] : []), { kind: "account", value: email }];
}

// Read and written only here; on globalThis because Next may load this module more than once in a process.
const globalForAuth = globalThis as unknown as { candorAuth?: Map<boolean, Promise<Auth>> };

/**
 * The better-auth instance on the process-wide database, created on first
 * use: one with Secure cookies for requests a trusted proxy says came over
 * https, one for the rest (both Secure when the configured URL is https).
 */
export function getAuth(h?: Headers | null): Promise<Auth> {
  const secure = overHttps(h);
  const instances = (globalForAuth.candorAuth ??= new Map());
  let creating = instances.get(secure);
  if (!creating) {
    const created = database().then((handle) => createAuth(handle.db, { secure }));
    instances.set(secure, created);
    // Not memoized on failure: a database that was down at first use must not break sign-in forever.
    created.catch(() => {
      if (instances.get(secure) === created) instances.delete(secure);
    });
    creating = created;
  }
  return creating;
}

/** better-auth's HTTP endpoints that the app uses; the rest answer 404 (app/api/auth/[...all]/route.ts). */
const HTTP_AUTH_PATHS = new Set(["/api/auth/sign-in/email", "/api/auth/sign-out", "/api/auth/get-session"]);

export async function authHandler(request: Request): Promise<Response> {
  if (!HTTP_AUTH_PATHS.has(new URL(request.url).pathname)) {
    return Response.json({ message: "Not found" }, { status: 404 });
  }
  return (await getAuth(request.headers)).handler(request);
}

function asRole(value: unknown): Role {
  return (ROLES as readonly unknown[]).includes(value) ? (value as Role) : "viewer";
}

/** The signed-in user as an Actor, or null. Reading cookies makes the calling page dynamic. */
export async function currentActor(): Promise<Actor | null> {
  const h = await headers();
  const auth = await getAuth(h);
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

/*
 * Admin pages that need more than a viewer. Each page checks its own role
 * (requireSession); this list lets proxy.ts refuse a role too low with a
 * real 403 before Next streams the page shell (a streamed page's status is
 * already 200 when the page's own check runs). The route inventory test
 * holds the list to the pages' own declarations.
 */
const PAGE_ROLES: ReadonlyArray<readonly [RegExp, Role]> = [
  [/^\/admin\/(?:api-keys|import|settings|users)\/?$/, "owner"],
  [/^\/admin\/incidents\/(?:new|[a-z0-9]{12}\/postmortem)\/?$/, "editor"],
];

/** The least role an admin page needs, by its path. */
export function pageRole(pathname: string): Role {
  return PAGE_ROLES.find(([path]) => path.test(pathname))?.[1] ?? "viewer";
}

/** Whether the session these headers carry is signed in but below `role` (false without a valid session: the page redirects). */
export async function roleTooLow(h: Headers, role: Role): Promise<boolean> {
  const session = await (await getAuth(h)).api.getSession({ headers: h });
  return session !== null && !can({ role: asRole(session.user.role) }, role);
}

/**
 * The gate of every admin page, server action and admin route handler:
 * no valid session → redirect to sign-in; a role below `role` → 403
 * (app/admin/forbidden.tsx), never the page.
 */
export async function requireActor(role: Role): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/admin/sign-in");
  if (!can(actor, role)) forbidden();
  return actor;
}

/** requireActor plus the process-wide database: what an admin page or action needs to call lib. */
export async function requireSession(role: Role): Promise<{ actor: Actor; db: Db }> {
  const actor = await requireActor(role);
  return { actor, db: (await database()).db };
}

/*
 * The admin area's route inventory, proven against the real server (the
 * production build in NEXT_DIST_DIR, the production server, a seeded embedded DB):
 *
 * - every `app/admin/**\/page.tsx`, every exported server action (every file
 *   with "use server", from the build's action manifest) and every
 *   non-public `app/api/**\/route.ts` / `app/admin/**\/route.ts` is found;
 * - each one either is in the short public list below (with its reason) or
 *   declares its role in code (requireSession / requireActor / an API key);
 * - each protected one is called anonymously and with every role below the
 *   one it needs, and must refuse — and no call may leave an audit entry;
 * - server actions refuse a foreign Origin (cross-site form posts).
 *
 * A new page, action or route that is neither public-by-reason nor guarded
 * fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { extractInfoFromServerReferenceId } from "next/dist/shared/lib/server-reference-info";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor, type Role } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { pageRole } from "#lib/auth/sessions.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { signInCookie, startPreparedServer, type NextServer } from "../support/next-server.ts";

const root = resolve(import.meta.dirname, "../..");
const PASSWORD = "inventory-password-1";
const ROLES: Role[] = ["viewer", "editor", "owner"];
const below = (role: Role) => ROLES.slice(0, ROLES.indexOf(role));

/* Public on purpose; everything else must be guarded. */
const PUBLIC_PAGES: Record<string, string> = {
  "app/admin/sign-in/page.tsx": "the way in",
  "app/admin/invite/[token]/page.tsx": "the one-time invite token is the credential",
};
const PUBLIC_ACTIONS: Record<string, string> = {
  "app/admin/sign-in/actions.ts#signIn": "the way in (throttled per account and IP)",
  "app/admin/invite/[token]/actions.ts#acceptInviteAction": "the one-time invite token is the credential",
  "app/[locale]/subscribe/actions.ts#subscribeAction": "public subscribe form (double opt-in, throttled)",
  "app/[locale]/subscribe/actions.ts#subscribeChannelAction": "public channel subscribe form (verified by a confirm link sent to the endpoint, throttled)",
  "app/[locale]/report/actions.ts#reportAction": "public report-a-problem form (off by default, limited per client and component, honeypot)",
  "app/[locale]/confirm/[token]/actions.ts#confirmAction": "subscriber's confirm token is the credential",
  "app/[locale]/manage/[token]/actions.ts#saveComponentsAction": "subscriber's manage token is the credential",
  "app/[locale]/unsubscribe/[token]/actions.ts#unsubscribeAction": "subscriber's unsubscribe token is the credential",
  "app/[locale]/report/stop/[token]/actions.ts#reportOptOutAction": "the reporter's signed opt-out token is the credential",
};
const PUBLIC_ROUTES: Record<string, string> = {
  "app/api/auth/[...all]/route.ts": "better-auth's sign-in endpoints (refuse foreign Origins, throttled)",
  "app/api/v2/[[...path]]/route.ts": "the public Statuspage-compatible API",
  "app/api/webhooks/resend/route.ts": "Resend webhook, authenticated by its signature",
  "app/api/internal/maintenance-clock/route.ts": "the server's requests to itself, authenticated by a secret only that process has",
  "app/api/internal/public-changed/route.ts": "the server's requests to itself, authenticated by a secret only that process has",
  "app/api/internal/public-settled/route.ts": "the server's requests to itself, authenticated by a secret only that process has",
  "app/api/v1/openapi.json/route.ts": "the management API's public description",
};
/* Minimum roles the product promises, whatever the code says. */
const AT_LEAST: Record<string, Role> = {
  "/admin/settings": "owner",
  "/admin/users": "owner",
  "/admin/api-keys": "owner",
  "/admin/import": "owner",
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** The role a function or file asks for, from its first requireSession/requireActor call. */
function declaredRole(source: string): Role | null {
  const m = /require(?:Session|Actor)\(\s*"(owner|editor|viewer)"\s*\)/.exec(source);
  return (m?.[1] as Role) ?? null;
}

/** Exported functions of a "use server" file with their bodies (up to the next export). */
function exportedActions(source: string): Map<string, string> {
  const parts = source.split(/(?=^export async function )/m).slice(1);
  return new Map(parts.map((p) => [/^export async function (\w+)/.exec(p)![1], p]));
}

function urlFor(file: string, ids: { incident: string }): string {
  return (
    "/" +
    file
      .replace(/^app\//, "")
      .replace(/\/?(page\.tsx|route\.ts)$/, "")
      .replace(/\([^)]+\)\/?/g, "")
      .replace("[id]", ids.incident)
      .replace("[token]", "not-a-real-invite-token-000000")
  ).replace(/\/$/, "");
}

interface Action {
  key: string;
  id: string;
  role: Role | null;
  /** A page whose module graph holds the action: Next resolves an action through the page it is posted to. */
  page: string;
}

const FORGED = "better-auth.session_token=forged.value";

describe("admin route inventory", () => {
  let server: NextServer;
  let incidentId: string;
  const cookies: Partial<Record<Role, string>> = {};
  let newestAudit: () => Promise<number>;

  const pages = walk("app/admin").filter((f) => f.endsWith("/page.tsx"));
  const serverFiles = walk("app").filter((f) => /\.(ts|tsx)$/.test(f) && /^\s*["']use server["']/.test(readFileSync(join(root, f), "utf8")));
  const routes = [...walk("app/api"), ...walk("app/admin")].filter((f) => f.endsWith("/route.ts"));

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        for (const role of ROLES) await createUser(db, systemActor, { email: `${role}@inventory.test`, password: PASSWORD, role });
        incidentId = (await db.selectFrom("incidents").select("id").limit(1).executeTakeFirstOrThrow()).id;
      },
    });
    for (const role of ROLES) cookies[role] = await signInCookie(server, `${role}@inventory.test`, PASSWORD);
    // The newest audit entry, read through the owner's audit page: every write leaves one, so a refused call must not.
    newestAudit = async () => {
      const html = await (await fetch(`${server.url}/admin/audit`, { headers: { cookie: cookies.owner! } })).text();
      return Number(/id="audit-(\d+)"/.exec(html)?.[1] ?? 0);
    };
  }, 180_000);

  afterAll(() => server?.stop());

  function actionsFromBuild(): Action[] {
    const distDir = process.env.NEXT_DIST_DIR || ".next-test";
    const manifest = JSON.parse(readFileSync(join(root, distDir, "server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
    };
    return Object.entries(manifest.node)
      .filter(([, a]) => a.filename.startsWith("app/"))
      .map(([id, a]) => {
        const body = exportedActions(readFileSync(join(root, a.filename), "utf8")).get(a.exportedName) ?? "";
        const worker = Object.keys(a.workers).find((w) => w.endsWith("/page") && !w.includes("[token]")) ?? Object.keys(a.workers)[0];
        return { key: `${a.filename}#${a.exportedName}`, id, role: declaredRole(body), page: worker };
      });
  }

  it("finds every page, action and route (not a vacuous pass), and the build is current", () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
    // The problem reports inbox: viewers and up (the page checks below prove anonymous callers are sent to sign-in).
    expect(pages).toContain("app/admin/reports/page.tsx");
    expect(declaredRole(readFileSync(join(root, "app/admin/reports/page.tsx"), "utf8"))).toBe("viewer");
    expect(serverFiles.length).toBeGreaterThanOrEqual(8);
    expect(routes.length).toBeGreaterThanOrEqual(3);
    const built = new Set(actionsFromBuild().map((a) => a.key));
    const inSource = serverFiles.flatMap((f) => [...exportedActions(readFileSync(join(root, f), "utf8")).keys()].map((name) => `${f}#${name}`));
    expect(inSource.filter((k) => !built.has(k)), "actions missing from the build: rebuild").toEqual([]);
  });

  it("every admin page is public by reason or declares a role", () => {
    const unguarded = pages.filter((p) => !PUBLIC_PAGES[p] && !declaredRole(readFileSync(join(root, p), "utf8")));
    expect(unguarded).toEqual([]);
  });

  it("the proxy's list of page roles (a real 403 before streaming) agrees with each page's own check", () => {
    for (const page of pages.filter((p) => !PUBLIC_PAGES[p])) {
      const url = urlFor(page, { incident: "abcdefghijkl" });
      expect(pageRole(url), url).toBe(declaredRole(readFileSync(join(root, page), "utf8")));
    }
  });

  it("every server action is public by reason or declares a role in its own body", () => {
    const unguarded = actionsFromBuild().filter((a) => !PUBLIC_ACTIONS[a.key] && !a.role).map((a) => a.key);
    expect(unguarded).toEqual([]);
  });

  it("every route handler is public by reason or guarded (session role or API key)", () => {
    const unguarded = routes.filter((r) => {
      if (PUBLIC_ROUTES[r]) return false;
      const source = readFileSync(join(root, r), "utf8");
      // API routes authenticate an API key in the management API's `handle` or the Statuspage v1 API's `handleStatuspageV1`.
      const apiKeyGuarded =
        (/#lib\/http\/management-api\//.test(source) && /\bhandle\(/.test(source)) ||
        (/#lib\/http\/statuspage-v1\//.test(source) && /\bhandleStatuspageV1\(/.test(source));
      return !declaredRole(source) && !apiKeyGuarded;
    });
    expect(unguarded).toEqual([]);
  });

  it("admin pages: anonymous → 307 to sign-in; a forged cookie and every lower role are refused", async () => {
    for (const page of pages.filter((p) => !PUBLIC_PAGES[p])) {
      const url = urlFor(page, { incident: incidentId });
      const role = [declaredRole(readFileSync(join(root, page), "utf8"))!, AT_LEAST[url] ?? "viewer"].sort(
        (a, b) => ROLES.indexOf(b) - ROLES.indexOf(a),
      )[0];
      const anonymous = await fetch(`${server.url}${url}`, { redirect: "manual" });
      expect(anonymous.status, `${url} anonymous`).toBe(307);
      expect(anonymous.headers.get("location"), url).toMatch(/\/admin\/sign-in$/);
      // Past the proxy's optimistic check: the page's own check must redirect and render nothing.
      const forged = await fetch(`${server.url}${url}`, { redirect: "manual", headers: { cookie: FORGED } });
      const forgedBody = await forged.text();
      expect(forgedBody, `${url} forged cookie`).toContain("NEXT_REDIRECT;replace;/admin/sign-in");
      expect(forgedBody).not.toContain("<h1");
      const allowed = await fetch(`${server.url}${url}`, { redirect: "manual", headers: { cookie: cookies[role]! } });
      const allowedBody = await allowed.text();
      expect(allowed.status, `${url} as ${role}`).toBe(200);
      const heading = /<h1[^>]*>.*?<\/h1>/.exec(allowedBody)?.[0];
      if (below(role).length > 0) expect(heading, `${url} has a heading`).toBeTruthy();
      // A lower role gets 403 and app/admin/forbidden.tsx, never the page.
      for (const low of below(role)) {
        const response = await fetch(`${server.url}${url}`, { redirect: "manual", headers: { cookie: cookies[low]! } });
        const body = await response.text();
        expect(response.status, `${url} as ${low}`).toBe(403);
        expect(body, `${url} as ${low}`).not.toContain(heading!);
        expect(body, `${url} as ${low}`).toContain("Your role does not allow this");
      }
    }
  });

  async function callAction(action: Action, cookie: string | null, fields: Record<string, string> = {}, origin?: string) {
    // React's reply encoding: form fields prefixed "_1_", in "0" the arguments the action reads (the id's
    // first byte says which; proxy.ts refuses any other list), the form last, as "$K1".
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(`_1_${k}`, v);
    const reads = extractInfoFromServerReferenceId(action.id).usedArgs.lastIndexOf(true) + 1;
    body.set("0", JSON.stringify([...Array<object>(Math.max(reads - 1, 0)).fill({}), "$K1"]));
    const headers: Record<string, string> = { "next-action": action.id, accept: "text/x-component" };
    if (cookie) headers.cookie = cookie;
    if (origin) headers.origin = origin;
    return fetch(`${server.url}${urlFor(`${action.page}.tsx`, { incident: incidentId })}`, { method: "POST", headers, body, redirect: "manual" });
  }

  it("the action call format works: an owner's createGroupAction writes and is audited", async () => {
    const create = actionsFromBuild().find((a) => a.key === "app/admin/components/actions.ts#createGroupAction")!;
    const before = await newestAudit();
    const response = await callAction(create, cookies.owner!, { name: "Inventory group" });
    expect(response.status).toBe(200);
    expect(await newestAudit()).toBeGreaterThan(before);
  });

  it("server actions: anonymous and every lower role are refused, and nothing is written", async () => {
    const before = await newestAudit();
    for (const action of actionsFromBuild().filter((a) => !PUBLIC_ACTIONS[a.key])) {
      const fields = { name: "x", id: incidentId, incidentId, body: "x" };
      // No cookie: the proxy answers first.
      const anonymous = await callAction(action, null, fields);
      expect(anonymous.status, `${action.key} anonymous`).toBe(307);
      // A cookie that is no session gets past the proxy: the action's own check must send it to sign-in.
      const forged = await callAction(action, FORGED, fields);
      expect(forged.headers.get("x-action-redirect") ?? "", `${action.key} forged session`).toMatch(/^\/admin\/sign-in/);
      for (const low of below(action.role!)) {
        const response = await callAction(action, cookies[low]!, fields);
        expect(response.status, `${action.key} as ${low}`).toBe(403);
      }
    }
    expect(await newestAudit()).toBe(before);
  });

  it("server actions refuse a cross-site form post (foreign Origin), even with a valid session", async () => {
    const create = actionsFromBuild().find((a) => a.key === "app/admin/components/actions.ts#createGroupAction")!;
    const before = await newestAudit();
    const response = await callAction(create, cookies.owner!, { name: "Cross-site group" }, "https://evil.example");
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await newestAudit()).toBe(before);
  });

  it("better-auth refuses a sign-in from a foreign Origin", async () => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ email: "owner@inventory.test", password: PASSWORD }),
    });
    expect(response.status).toBe(403);
  });

  it("guarded route handlers refuse anonymous callers", async () => {
    for (const route of routes.filter((r) => !PUBLIC_ROUTES[r])) {
      const url = urlFor(route, { incident: incidentId });
      const source = readFileSync(join(root, route), "utf8");
      for (const method of ["GET", "POST", "PATCH", "DELETE"].filter((m) => new RegExp(`export (async function|const) ${m}\\b`).test(source))) {
        const response = await fetch(`${server.url}${url}`, { method, redirect: "manual", headers: { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
        expect([401, 403, 307], `${method} ${url}`).toContain(response.status);
      }
    }
  });
});

import { getSessionCookie } from "better-auth/cookies";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NextResponse, type NextRequest } from "next/server";
import { pageRole, roleTooLow } from "#lib/auth/sessions.ts";
import { problemReports } from "#lib/domain/problem-reports.ts";
import { addressedOrigin } from "#lib/http/client-ip.ts";
import { routeLocale } from "#lib/http/locale-routing.ts";
import { splitLocalePath } from "#lib/core/locales.ts";
import { localeSettings } from "#lib/runtime/locale-settings.ts";
import { contentSecurityPolicy } from "#lib/http/content-security-policy.ts";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "#lib/core/limits.ts";
import {
  ACTION_HEADER,
  ACTION_ID_FIELD,
  ACTION_NOT_FOUND_HEADER,
  ACTION_REF_FIELD,
  ARGUMENTS_FIELD,
  argumentsRead,
  boundActionField,
  isFormReference,
  serverActionIds,
  serverReferenceManifestFile,
} from "#lib/runtime/next-internals.ts";
import { z } from "zod";

/*
 * Three jobs before Next renders anything:
 *
 * 1. Server action calls that name anything but one of this app's actions
 *    are refused with Next's own "action not found" answer. Next registers
 *    every "use cache" function as a server reference, so anyone could call
 *    one by its id (from the build's manifest) with arguments of their
 *    choosing: read its raw result, or fill the cache with entries keyed by
 *    garbage. Only our own pages call them, in-process. So an allowlist: the
 *    ids of the build's manifest that are actions, for the Next-Action header
 *    of a call with JavaScript and for every action a no-JavaScript
 *    (multipart) form names.
 *    And every action of this app is a form's action: its last parameter is
 *    the form. A call with JavaScript sends the arguments the action reads
 *    (the id's first byte lists them; the client drops the others) as
 *    multipart, field "0" a list whose last item is React's reference to the
 *    form ("$K<n>"). Other arguments never come from our pages and would only
 *    crash the action (a 500), so they get a 400 here. Without JavaScript,
 *    Next itself passes the posted form.
 * 2. A gate in front of the admin area: no session cookie at all → a real
 *    307 to sign-in, and a signed-in role below what the page needs → a real
 *    403, both before any rendering. The authoritative check (a valid session
 *    and the right role) is in every admin page and action (lib/auth/sessions.ts
 *    requireActor); this only makes the status real instead of a streamed 200.
 * 3. The admin area's Content-Security-Policy, with a nonce per request (Next
 *    reads it from the request's CSP header and puts it on its scripts).
 *    Admin pages render per request anyway. The public pages are cached and
 *    copied by the microcache, so they cannot carry a per-request nonce; their
 *    static policy is in next.config.mjs.
 */
const PUBLIC_ADMIN = /^\/admin\/(sign-in|invite\/)/;

/*
 * Counted, not read from Content-Length: Next does not pass that header to
 * the proxy. Read to the end (Next holds the body in memory for the proxy
 * anyway, up to proxyClientMaxBodySize): stopping early stalls the request.
 */
async function bodyOverLimit(request: NextRequest): Promise<boolean> {
  if (request.method !== "POST" || !request.body) return false;
  let size = 0;
  for await (const chunk of request.clone().body ?? []) size += chunk.byteLength;
  return size > SERVER_ACTION_BODY_LIMIT_BYTES;
}
const ADMIN = /^\/admin(\/|$)/;

export async function proxy(request: NextRequest) {
  // Next reads an over-limit server action body, then throws and answers 500: the client's mistake is a 413.
  if (await bodyOverLimit(request)) {
    return new NextResponse(`The request body is larger than ${SERVER_ACTION_BODY_LIMIT_BYTES} bytes.`, {
      status: 413,
      headers: { "content-type": "text/plain" },
    });
  }
  const { pathname } = request.nextUrl;
  const admin = ADMIN.test(pathname);
  if (admin && !PUBLIC_ADMIN.test(pathname) && !getSessionCookie(request)) {
    // Not request.url: behind a proxy it carries this server's own host (Next refuses a relative Location here).
    return NextResponse.redirect(new URL("/admin/sign-in", addressedOrigin(request.headers, request.url)));
  }
  if (admin && (request.method === "GET" || request.method === "HEAD") && !PUBLIC_ADMIN.test(pathname)) {
    const needed = pageRole(pathname);
    // The database down: the page's own check decides (and fails as it does).
    if (needed !== "viewer" && (await roleTooLow(request.headers, needed).catch(() => false))) return forbiddenPage();
  }
  // The page's own notFound() comes after the shell has streamed with a 200: the real status is decided here.
  // The database down: the page decides (and fails as it does).
  const reading = request.method === "GET" || request.method === "HEAD";
  if (reading && splitLocalePath(pathname).rest === "/report" && !(await problemReports.enabled().catch(() => true))) {
    return notFoundPage();
  }
  const refusal = await refusedActionCall(request);
  if (refusal === 404) {
    return new NextResponse("Server action not found.", {
      status: 404,
      headers: { "content-type": "text/plain", [ACTION_NOT_FOUND_HEADER]: "1" },
    });
  }
  if (refusal === 400) return new NextResponse("Invalid Server Actions request.", { status: 400, headers: { "content-type": "text/plain" } });
  if (!admin) return localeRouted(request);
  const csp = adminPolicy(btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16)))));
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

/** What app/admin/forbidden.tsx says, as a 403 before Next renders (no scripts, so no nonce). */
function forbiddenPage(): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Not allowed · Candor admin</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><main><h1 style="font-size:1.25rem">Your role does not allow this</h1><p>Owners manage users, settings and API keys; editors write incidents, components, maintenance and templates; viewers read. Ask an owner if you need more.</p><p><a href="/admin">Back to the admin area</a></p></main></body></html>`;
  return new NextResponse(html, {
    status: 403,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  });
}

/*
 * 4. The public pages' locale (lib/http/locale-routing.ts): an unprefixed
 *    page is the default locale's, rewritten to app/[locale]/; a reader who
 *    wants another language is redirected to it (server.ts does the same
 *    before its microcache); a locale the page does not offer is a 404.
 */
async function localeRouted(request: NextRequest): Promise<NextResponse> {
  const route = routeLocale(
    {
      method: request.method,
      path: request.nextUrl.pathname,
      search: request.nextUrl.search,
      cookie: request.headers.get("cookie"),
      acceptLanguage: request.headers.get("accept-language"),
    },
    await localeSettings(),
  );
  if (route.kind === "not-found") return notFoundPage();
  if (route.kind === "redirect") {
    // A relative Location: behind a proxy request.url carries this server's own host.
    return new NextResponse(null, { status: 307, headers: { location: route.location, "cache-control": "private, no-store", vary: "Cookie, Accept-Language" } });
  }
  if (route.kind === "page" && route.internal !== request.nextUrl.pathname) {
    const url = request.nextUrl.clone();
    url.pathname = route.internal;
    return NextResponse.rewrite(url);
  }
  return NextResponse.next();
}

/** /report while reports are off, a locale the page does not offer: a real 404, like any page that does not exist. */
function notFoundPage(): NextResponse {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Not found</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><main><h1 style="font-size:1.25rem">This page could not be found</h1><p><a href="/">Back to the status page</a></p></main></body></html>`;
  return new NextResponse(html, {
    status: 404,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    },
  });
}

function adminPolicy(nonce: string): string {
  // 'strict-dynamic': the chunks Next's nonced scripts load are trusted through them.
  return contentSecurityPolicy(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
}

/**
 * This app's server actions, by id: those of the build's server reference
 * manifest (lib/runtime/next-internals.ts serverActionIds). The manifest lies
 * in next.config.mjs's distDir, which Next resolves against the working
 * directory too; `next dev` compiles routes on demand, so there it is read on
 * every call. A manifest that cannot be read allows nothing (logged), and is
 * read again on the next call.
 */
let appActions: Promise<ReadonlySet<string>> | undefined;
function actionIds(): Promise<ReadonlySet<string>> {
  const dev = process.env.NODE_ENV === "development";
  if (appActions && !dev) return appActions;
  const file = serverReferenceManifestFile(join(/* turbopackIgnore: true */ process.cwd(), process.env.NEXT_DIST_DIR || ".next"), dev);
  appActions = readFile(file, "utf8")
    .then(serverActionIds)
    .catch((error: unknown) => {
      appActions = undefined;
      console.error(`proxy.ts: no server action is allowed, the build's manifest ${file} cannot be read:`, error);
      return new Set<string>();
    });
  return appActions;
}

const json = z.string().transform((raw, ctx) => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "is not JSON" });
    return z.NEVER;
  }
});
/* The argument list of a call with JavaScript, ending in the form. */
const argumentList = json.pipe(z.array(z.unknown()));
/*
 * A no-JavaScript form's bound action descriptor, as React reads it:
 * JSON.parse (a repeated key keeps its last value), then its reply format,
 * where "$1" is a reference to field "$ACTION_<n>:1". Only an id that is
 * literally one of ours passes: ours are plain hex, so a reference never does.
 */
const boundAction = json.pipe(z.object({ id: z.string() }));

/** 404: the call names no action of ours; 400: a call with arguments no form of ours sends; null: let Next handle it. */
async function refusedActionCall(request: NextRequest): Promise<404 | 400 | null> {
  if (request.method !== "POST") return null;
  const header = request.headers.get(ACTION_HEADER);
  if (header !== null && !(await actionIds()).has(header)) return 404;
  const reads = header !== null ? argumentsRead(header) : null;
  if (reads === 0) return null;
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  if (!multipart) return header !== null ? 400 : null;
  // A body Next cannot parse either never reaches an action (Next itself would throw: a 500).
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  if (form === null) return 400;
  if (header !== null) {
    const args = argumentList.safeParse(form.get(ARGUMENTS_FIELD));
    return args.success && (reads === null || args.data.length === reads) && isFormReference(args.data.at(-1)) ? null : 400;
  }
  // Without JavaScript the form names its action (React runs the last one named; each must be ours).
  const names = [...form.keys()].filter((key) => key.startsWith(ACTION_ID_FIELD) || key.startsWith(ACTION_REF_FIELD));
  if (names.length === 0) return null;
  const ours = await actionIds();
  for (const name of names) {
    if (name.startsWith(ACTION_ID_FIELD)) {
      if (!ours.has(name.slice(ACTION_ID_FIELD.length))) return 404;
      continue;
    }
    const descriptors = form.getAll(boundActionField(name));
    const bound = descriptors.length === 1 ? boundAction.safeParse(descriptors[0]) : undefined;
    if (!bound?.success || !ours.has(bound.data.id)) return 404;
  }
  return null;
}

export const config = {
  matcher: [
    "/admin",
    "/admin/:path*",
    // The public pages: their locale (and reports off: a real 404 for the form). Not machine paths or files.
    "/((?!_|api/|admin|embed|locale|icon|apple-icon|.*\\.(?:svg|js|json|rss|atom|ics|png|ico|txt|xml|webmanifest)$).*)",
    // Server action calls anywhere: with JavaScript (the header, ACTION_HEADER: Next reads this object
    // from the source, so it holds literals only) or without (a multipart form).
    { source: "/:path*", has: [{ type: "header", key: "next-action" }] },
    { source: "/:path*", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
  ],
};

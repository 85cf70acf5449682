import { getSessionCookie } from "better-auth/cookies";
import { extractInfoFromServerReferenceId } from "next/dist/shared/lib/server-reference-info";
import { NextResponse, type NextRequest } from "next/server";
import { pageRole, roleTooLow } from "./lib/auth.ts";
import { addressedOrigin } from "./lib/client-ip.ts";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/limits.ts";
import { z } from "zod";

/*
 * Three jobs before Next renders anything:
 *
 * 1. Server action calls that name a "use cache" function are refused with
 *    Next's own "action not found" answer. Next registers every "use cache"
 *    function as a server reference, so anyone could call one by its id (from
 *    the build's manifest) with arguments of their choosing: read its raw
 *    result, or fill the cache with entries keyed by garbage. Only our own
 *    pages call them, in-process. The id's first byte says what it is (Next's
 *    encoding, set at build time; the client uses it too), so a header look
 *    suffices for fetch calls; a no-JavaScript (multipart) call names its
 *    action in the form.
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
 *    and the right role) is in every admin page and action (lib/auth.ts
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
  const refusal = await refusedActionCall(request);
  if (refusal === 404) {
    return new NextResponse("Server action not found.", {
      status: 404,
      headers: { "content-type": "text/plain", "x-nextjs-action-not-found": "1" },
    });
  }
  if (refusal === 400) return new NextResponse("Invalid Server Actions request.", { status: 400, headers: { "content-type": "text/plain" } });
  if (!admin) return NextResponse.next();
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

function adminPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': the chunks Next's nonced scripts load are trusted through them.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // React writes style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const isCacheFunctionId = (id: string) => /^[0-9a-f]{42}$/i.test(id) && extractInfoFromServerReferenceId(id).type === "use-cache";

/* Field "0" of a call with JavaScript: the argument list, ending in the form. */
const argumentList = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "is not JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.unknown()));
const isFormReference = (value: unknown) => typeof value === "string" && /^\$K[0-9a-f]+$/.test(value);

/** 404: the call names a "use cache" function; 400: a call with arguments no form of ours sends; null: let Next handle it. */
async function refusedActionCall(request: NextRequest): Promise<404 | 400 | null> {
  if (request.method !== "POST") return null;
  const header = request.headers.get("next-action");
  if (header !== null && isCacheFunctionId(header)) return 404;
  // How many arguments the action reads (an id Next does not know is its business: "not found").
  const info = header !== null && /^[0-9a-f]{42}$/i.test(header) ? extractInfoFromServerReferenceId(header) : null;
  const reads = info && !info.hasRestArgs ? info.usedArgs.lastIndexOf(true) + 1 : null;
  if (reads === 0) return null;
  const multipart = request.headers.get("content-type")?.startsWith("multipart/form-data") ?? false;
  if (!multipart) return header !== null ? 400 : null;
  // A body Next cannot parse either never reaches an action.
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  if (header !== null) {
    const args = argumentList.safeParse(form?.get("0"));
    return args.success && (reads === null || args.data.length === reads) && isFormReference(args.data.at(-1)) ? null : 400;
  }
  for (const [key, value] of form ?? []) {
    // "$ACTION_ID_<id>", or a bound action's descriptor in "$ACTION_<ref>:0": {"id":"<id>",…}
    if (key.startsWith("$ACTION_ID_") && isCacheFunctionId(key.slice("$ACTION_ID_".length))) return 404;
    if (key.startsWith("$ACTION_") && typeof value === "string" && isCacheFunctionId(/^\{"id":"(\w+)"/.exec(value)?.[1] ?? "")) return 404;
  }
  return null;
}

export const config = {
  matcher: [
    "/admin",
    "/admin/:path*",
    // Server action calls anywhere: with JavaScript (the header) or without (a multipart form).
    { source: "/:path*", has: [{ type: "header", key: "next-action" }] },
    { source: "/:path*", has: [{ type: "header", key: "content-type", value: "multipart/form-data.*" }] },
  ],
};

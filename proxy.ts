import { getSessionCookie } from "better-auth/cookies";
import { NextResponse, type NextRequest } from "next/server";

/*
 * An optimistic gate in front of the admin area: no session cookie at all →
 * a real 307 to sign-in before any rendering. The authoritative check (a
 * valid session and the right role) is in every admin page and action
 * (lib/auth.ts requireActor); this only makes the common case a proper
 * redirect instead of a streamed one.
 */
const PUBLIC_ADMIN = /^\/admin\/(sign-in|invite\/)/;

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (PUBLIC_ADMIN.test(pathname) || getSessionCookie(request)) return NextResponse.next();
  // Relative: behind a proxy, request.url carries this server's own host, not the one the browser used.
  return new NextResponse(null, { status: 307, headers: { location: "/admin/sign-in" } });
}

export const config = { matcher: ["/admin", "/admin/:path*"] };

import { contentSecurityPolicy } from "#lib/http/content-security-policy.ts";

/** @type {import('next').NextConfig} */
const publicCache = "public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400";

/*
 * Security headers, on every response (the microcache copies Next's headers, so its answers carry them too).
 * CSP outside /admin: the public pages are cached ("use cache", the microcache), so they cannot carry a
 * per-request nonce, and Next's inline flight scripts differ per page, so no fixed hashes either
 * (experimental.sri covers only the script files). So: scripts and everything else from this origin only,
 * inline scripts allowed, no plugins, no <base>, forms only to this origin. The admin area renders per
 * request and gets a nonce policy from proxy.ts instead. No page but the embed's frame is meant to be
 * framed, so framing is refused everywhere else: clickjacking the subscribe or
 * manage forms gains nothing legitimate. Referrer-Policy same-origin, not no-referrer: with no-referrer
 * Chromium sends `Origin: null` on a plain form POST and Next refuses the no-JavaScript server action.
 * HSTS only where the public URL is https (at build time) or the request came through a trusted proxy
 * over https (server.ts drops X-Forwarded-Proto from anyone else; a browser ignores HSTS over http).
 */
const publicPolicy = contentSecurityPolicy("'self' 'unsafe-inline'");
const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000" };
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  ...(process.env.PUBLIC_URL?.startsWith("https://") ? [hsts] : []),
];
/*
 * The embed: /embed/frame is the one page meant to be framed, by any site (its route sets its own
 * policy, frame-ancestors * and nothing else loosened); the scripts' URLs are pasted into customers'
 * products and never change, so browsers keep them an hour and revalidate cheaply (ETag) after; the
 * widget's words (/embed/messages.json) change only with a new version, so they are kept the same way.
 */
const EMBED_FRAME = "embed/frame";
const embedScriptCache = "public, max-age=3600, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=604800";

const nextConfig = {
  // Separate build directories let several builds (tests, benchmarks) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  cacheComponents: true,
  // forbidden(): a role too low gets a real 403 (lib/auth/sessions.ts requireActor).
  experimental: {
    authInterrupts: true,
    // app/global-not-found.tsx: the public pages and the admin area have root layouts of their own.
    globalNotFound: true,
    // lib/core/limits.ts SERVER_ACTION_BODY_LIMIT_BYTES: room for the largest subscriber CSV and its form.
    serverActions: { bodySizeLimit: "2mb" },
  },
  poweredByHeader: false,
  // Next makes an ETag by hashing the whole body in JavaScript on every request, cached pages too:
  // for / that was most of a cached hit's CPU time. A CDN revalidates by s-maxage instead.
  generateEtags: false,
  // Types are checked by `npm run typecheck` (part of `npm test`), once, not per build.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: `/((?!${EMBED_FRAME}).*)`, headers: [{ key: "X-Frame-Options", value: "DENY" }] },
      { source: `/((?!admin|${EMBED_FRAME}).*)`, headers: [{ key: "Content-Security-Policy", value: publicPolicy }] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [hsts] },
      {
        source: "/((?!admin|api/v1|api/auth|api/webhooks|api/internal|_next|confirm|manage|unsubscribe|subscribe|report).*)",
        headers: [{ key: "Cache-Control", value: publicCache }],
      },
      // After the rule above: the last rule setting a header wins.
      { source: "/embed.js", headers: [{ key: "Cache-Control", value: embedScriptCache }] },
      { source: "/embed/script.js", headers: [{ key: "Cache-Control", value: embedScriptCache }] },
      { source: "/embed/messages.json", headers: [{ key: "Cache-Control", value: embedScriptCache }] },
    ];
  },
};

export default nextConfig;

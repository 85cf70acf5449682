/** @type {import('next').NextConfig} */
const publicCache = "public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400";

const nextConfig = {
  // Separate build directories let several builds (tests, benchmarks) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  cacheComponents: true,
  // forbidden(): a role too low gets a real 403 (lib/auth.ts requireActor).
  experimental: {
    authInterrupts: true,
    // Room for the largest subscriber CSV the import takes (lib/subscribers.ts CSV_IMPORT_MAX_BYTES, 1 MB) and its form.
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
      {
        source: "/((?!admin|api/v1|api/auth|api/webhooks|api/internal|_next|confirm|manage|unsubscribe|subscribe).*)",
        headers: [{ key: "Cache-Control", value: publicCache }],
      },
    ];
  },
};

export default nextConfig;

/*
 * The one Content-Security-Policy, but for where scripts may come from: the
 * public pages' static policy (next.config.mjs: cached pages cannot carry a
 * nonce) and the admin area's per-request nonce policy (proxy.ts).
 * next.config.mjs loads this file through Node's type stripping: plain
 * TypeScript, no imports.
 */
export function contentSecurityPolicy(scriptSrc: string): string {
  return [
    "default-src 'self'",
    `script-src ${scriptSrc}`,
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

/*
 * /embed/frame, the Statuspage-compatible embed: any site may frame it (that
 * is its purpose), so frame-ancestors is open here and only here; it loads
 * nothing, and runs only its own inline script, named by hash.
 */
export function embedFramePolicy(scriptHash: string): string {
  return [
    "default-src 'none'",
    `script-src '${scriptHash}'`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors *",
  ].join("; ");
}

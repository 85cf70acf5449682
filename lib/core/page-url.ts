/*
 * Links to the public page. Every link is built on pageUrl: the URL is
 * normalised on the way in (settings, PUBLIC_URL), but a page row written
 * before that may still end in a slash, and `//incidents/…` links break.
 */

/** The page's base URL: no trailing slash. */
export function pageUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/** An incident's or maintenance's public page. */
export function incidentUrl(url: string, incidentId: string): string {
  return `${pageUrl(url)}/incidents/${incidentId}`;
}

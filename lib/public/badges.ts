import { componentStatusMeta, indicatorMeta, worstComponentStatus } from "#lib/core/statuses.ts";
import { statusOf, type Snapshot } from "./statuspage-v2.ts";

/*
 * Shields-style status badges (the "flat" look READMEs and dashboards embed):
 * a grey label, a coloured message, both readable without web fonts.
 */

// Approximate advance widths of Verdana 11px, the badge font shields.io measures with.
const NARROW = new Set([..."fijlrtI.,:;|!'()[] "]);
const WIDE = new Set([..."mwMW@%"]);

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) width += 3.9;
    else if (WIDE.has(ch)) width += 10.7;
    else if (/[A-Z0-9]/.test(ch)) width += 7.5;
    else if (ch.codePointAt(0)! > 0x2e80) width += 11;
    else width += 6.6;
  }
  return Math.round(width);
}

/** Text for an XML or HTML attribute or element. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export function badgeSvg(label: string, message: string, color: string): string {
  const pad = 10;
  const lw = textWidth(label) + pad;
  const mw = textWidth(message) + pad;
  const w = lw + mw;
  const l = escapeXml(label);
  const m = escapeXml(message);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${l}: ${m}"><title>${l}: ${m}</title><linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${l}</text><text x="${lw / 2}" y="14">${l}</text><text x="${lw + mw / 2}" y="15" fill="#010101" fill-opacity=".3">${m}</text><text x="${lw + mw / 2}" y="14">${m}</text></g></svg>`;
}

/** The page's overall status badge: "status | All Systems Operational". */
export function pageBadge(s: Snapshot): string {
  const { indicator, description } = statusOf(s);
  return badgeSvg("status", description, indicatorMeta[indicator].color);
}

/** A component's (or group's) badge, or null when there is no such component. */
export function componentBadge(s: Snapshot, id: string): string | null {
  const component = s.components.find((c) => c.id === id);
  if (component) {
    return badgeSvg(component.name, componentStatusMeta[component.status].label, componentStatusMeta[component.status].color);
  }
  const group = s.groups.find((g) => g.id === id);
  if (!group) return null;
  const status = worstComponentStatus(s.components.filter((c) => c.group_id === id).map((c) => c.status));
  return badgeSvg(group.name, componentStatusMeta[status].label, componentStatusMeta[status].color);
}

/** The favicon: a dot in the overall indicator's colour, with its icon, so a pinned tab shows trouble. */
export function faviconSvg(s: Snapshot): string {
  const { indicator } = statusOf(s);
  const { color } = indicatorMeta[indicator];
  const mark =
    indicator === "none"
      ? `<path d="M9 16.5l4.5 4.5L23 11.5" fill="none" stroke="#fff" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>`
      : `<path d="M16 8v10" stroke="#fff" stroke-width="3.5" stroke-linecap="round"/><circle cx="16" cy="23.5" r="2.2" fill="#fff"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${color}"/>${mark}</svg>`;
}

import { componentStatusMeta, indicatorMeta, worstComponentStatus } from "#lib/core/statuses.ts";
import { layoutText, paragraphDirection, SHIPPED_FONTS, shippedFontsLack, shippedTextWidth } from "./shaped-text.ts";
import { statusOf, type Snapshot } from "./statuspage-v2.ts";

/*
 * Shields-style status badges (the "flat" look READMEs and dashboards embed):
 * a grey label, a coloured message, both readable without web fonts. An SVG
 * shown as an <img> cannot load fonts and the reader's system may have none
 * for a component's script. So a name in another script than Latin is drawn
 * as outlines shaped from Candor's shipped fonts (shaped-text.ts, as the
 * social cards are): it looks the same everywhere and its box is exactly its
 * width. Latin stays text in Verdana (or its stand-ins), as shields.io
 * draws it, sized by Verdana's widths. Text with a character no shipped font
 * has (an emoji) stays text for the reader's system to draw, counted one em
 * a character, and textLength holds it to its box whatever font the system
 * picks. The title and aria-label carry every text as written. Candor's own
 * words on a badge stay English: a badge URL is pasted once into a README
 * and cached as one image, not negotiated per reader.
 */

const FONT_FAMILY = ["Verdana", "Geneva", "DejaVu Sans", ...SHIPPED_FONTS.map((f) => f.family).filter((f) => f !== "Geist"), "sans-serif"].join(",");
const FONT_SIZE = 11;

// Approximate advance widths of Verdana 11px, the badge font shields.io measures with.
const NARROW = new Set([..."fijlrtI.,:;|!'()[] "]);
const WIDE = new Set([..."mwMW@%"]);

function verdanaWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) width += 3.9;
    else if (WIDE.has(ch)) width += 10.7;
    else if (/[A-Z0-9]/.test(ch)) width += 7.5;
    else width += 6.6;
  }
  return width;
}

/** The width (px) of badge text the reader's system draws: Latin runs as Verdana sets them, other scripts as the shipped fonts do. */
export function textWidth(text: string): number {
  const runs = text.match(/[\u0000-\u024f]+|[^\u0000-\u024f]+/gu) ?? [];
  return Math.round(runs.reduce((sum, run) => sum + (/^[\u0000-\u024f]/u.test(run) ? verdanaWidth(run) : shippedTextWidth(run, FONT_SIZE)), 0));
}

/** Text for an XML or HTML attribute or element. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const LATIN = /^[\u0000-\u024f]*$/u;
const round = (n: number) => Math.round(n * 100) / 100;

/** One side's text: its width, what it defines, and how to draw it centred on x. */
function badgeText(text: string, id: string): { width: number; defs: string; draw: (x: number, y: number, paint: string) => string } {
  const outlined = !LATIN.test(text) && !shippedFontsLack(text);
  const layout = outlined ? layoutText(text, { size: FONT_SIZE, direction: "auto", lineHeight: 1, ascent: 0 }) : null;
  if (layout) {
    return {
      width: Math.round(layout.width),
      defs: `<g id="${id}">${layout.paths}</g>`,
      draw: (x, y, paint) => `<use href="#${id}" x="${round(x - layout.width / 2)}" y="${y}"${paint}/>`,
    };
  }
  const width = textWidth(text);
  const body = escapeXml(text);
  // SVG text is left to right unless told; a name reads in its own direction.
  const dir = paragraphDirection(text) === "rtl" ? ` direction="rtl"` : "";
  return {
    width,
    defs: "",
    draw: (x, y, paint) => `<text x="${x}" y="${y}"${paint} textLength="${width}" lengthAdjust="spacingAndGlyphs"${dir}>${body}</text>`,
  };
}

export function badgeSvg(label: string, message: string, color: string): string {
  const pad = 10;
  const [lt, mt] = [badgeText(label, "l"), badgeText(message, "m")];
  const lw = lt.width + pad;
  const mw = mt.width + pad;
  const w = lw + mw;
  const title = `${escapeXml(label)}: ${escapeXml(message)}`;
  const shadow = ` fill="#010101" fill-opacity=".3"`;
  const defs = lt.defs + mt.defs;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}"><title>${title}</title>${defs && `<defs>${defs}</defs>`}<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g><g fill="#fff" text-anchor="middle" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">${lt.draw(lw / 2, 15, shadow)}${lt.draw(lw / 2, 14, "")}${mt.draw(lw + mw / 2, 15, shadow)}${mt.draw(lw + mw / 2, 14, "")}</g></svg>`;
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

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ImageResponse } from "next/og";
import { OG_FONT_FILE } from "#lib/runtime/next-internals.ts";
import { impactMeta, indicatorMeta, isOpenStatus, updateStatusMeta } from "#lib/core/statuses.ts";
import { formatDateTime } from "#lib/core/time.ts";
import { statusOf, type Snapshot, type Timeline } from "./statuspage-v2.ts";

/*
 * Open Graph / Twitter card images (1200×630 PNG) through next/og. Fonts come
 * from files on disk, never the network: Geist (bundled with next/og) for
 * Latin, Noto Sans for accents, Greek and Cyrillic, Noto Sans SC and KR (the
 * @embedpdf font packages) for Chinese, Japanese kana and Korean. next/og
 * fetches Google Fonts for any glyph they all lack and a CDN for emoji, so
 * emoji are removed before rendering.
 */

export const SOCIAL_IMAGE_SIZE = { width: 1200, height: 630 };

let fonts: Promise<{ name: string; data: Buffer; weight: 400; style: "normal" }[]> | undefined;

// In fallback order: a glyph missing from one is looked up in the next.
const FONT_FILES = [
  { name: "Geist", file: OG_FONT_FILE },
  { name: "Noto Sans", file: "node_modules/@embedpdf/fonts-latin/fonts/NotoSans-Regular.ttf" },
  { name: "Noto Sans SC", file: "node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf" },
  { name: "Noto Sans KR", file: "node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Regular.otf" },
];

function loadFonts() {
  fonts ??= Promise.all(
    FONT_FILES.map(async ({ name, file }) => ({
      name,
      data: await readFile(join(process.cwd(), file)),
      weight: 400 as const,
      style: "normal" as const,
    })),
  );
  return fonts;
}

/** Removes emoji (pictographs, their joiners, variation selectors, skin tones, flags) and the doubled spaces they leave. */
export function withoutEmoji(text: string): string {
  return text
    .replace(/[\p{Extended_Pictographic}\p{Regional_Indicator}\u{1F3FB}-\u{1F3FF}\u200D\uFE0E\uFE0F\u20E3]/gu, "")
    .replace(/\s{2,}/g, " ")
    .trim();
}

function Card(props: { site: string; title: string; label: string; color: string; footer: string }) {
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        background: "#ffffff",
        borderTop: `24px solid ${props.color}`,
        padding: "56px 72px",
        fontFamily: FONT_FILES.map((f) => `"${f.name}"`).join(", "),
        color: "#111827",
      }}
    >
      <div style={{ display: "flex", fontSize: 36, color: "#4b5563" }}>{props.site}</div>
      <div style={{ display: "flex", flexDirection: "column" }}>
        <div style={{ display: "flex", fontSize: props.title.length > 60 ? 52 : 68, lineHeight: 1.15 }}>{props.title}</div>
        <div style={{ display: "flex", marginTop: 32 }}>
          <div
            style={{
              display: "flex",
              background: props.color,
              color: "#ffffff",
              fontSize: 34,
              padding: "10px 26px",
              borderRadius: 999,
            }}
          >
            {props.label}
          </div>
        </div>
      </div>
      <div style={{ display: "flex", fontSize: 28, color: "#6b7280" }}>{props.footer}</div>
    </div>
  );
}

async function png(card: Parameters<typeof Card>[0]): Promise<Uint8Array> {
  const clean = { ...card, site: withoutEmoji(card.site), title: withoutEmoji(card.title) || "Incident" };
  const response = new ImageResponse(<Card {...clean} />, { ...SOCIAL_IMAGE_SIZE, fonts: await loadFonts() });
  return new Uint8Array(await response.arrayBuffer());
}

/** The site's card: the overall status as the banner states it. */
export function siteImage(s: Snapshot): Promise<Uint8Array> {
  const { indicator, description } = statusOf(s);
  const open = s.incidents.filter((i) => isOpenStatus(i.status)).length;
  return png({
    site: `${s.page.name} status`,
    title: description,
    label: open === 0 ? "No open incidents" : open === 1 ? "1 open incident" : `${open} open incidents`,
    color: indicatorMeta[indicator].color,
    footer: new URL(s.page.url).host,
  });
}

/** An incident's card: name, impact colour, current status and the last update's time. */
export function incidentImage(s: Pick<Snapshot, "page">, incident: Timeline): Promise<Uint8Array> {
  const last = incident.updates[0]?.display_at ?? incident.updated_at;
  return png({
    site: `${s.page.name} status`,
    title: incident.name,
    label: updateStatusMeta[incident.status].label,
    color: impactMeta[incident.impact].color,
    footer: `Last update ${formatDateTime(last, s.page.time_zone)}`,
  });
}

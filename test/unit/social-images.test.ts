import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LOCALES } from "#lib/core/locales.ts";
import { drawable, fontFor, layoutText, SHIPPED_FONTS } from "#lib/public/shaped-text.ts";
import { incidentImage, siteImage, SOCIAL_IMAGE_SIZE } from "#lib/public/social-images.tsx";
import { component, incident, snapshot } from "../support/snapshots.ts";

/*
 * Social cards render every script Candor ships a font for, in every
 * locale, from files on disk: fetch (the platform's, which next/og would
 * use for Google Fonts and emoji CDNs) fails for anything but a data: URL
 * (next/og loads its layout engine's WebAssembly from one), and no card may
 * have tried it.
 */
const realFetch = globalThis.fetch;
let attempts: string[] = [];
beforeEach(() => {
  attempts = [];
  vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith("data:")) return realFetch(input, init);
    attempts.push(url);
    return Promise.reject(new TypeError("fetch failed: no network in this test"));
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  expect(attempts).toEqual([]);
});

/** The PNG's width and height, from its IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const MIXED = "عطل في الدفع שלום עולם भुगतान सेवा बाधित ระบบล่ม 東京 データセンター 障害 서울 Zürich Ελλάδα Москва 🔥 👩‍💻 🇯🇵 தமிழ் ሰላም 𠀋";
const s = snapshot({ components: [component({ status: "major_outage" })] });

describe.each(LOCALES)("cards in %s", (locale) => {
  it("renders the site's and an incident's card as 1200×630 PNGs without the network", async () => {
    expect(pngSize(await siteImage(s, locale))).toEqual(SOCIAL_IMAGE_SIZE);
    const mixed = incident({ name: MIXED, steps: [["investigating", "2025-03-05T08:00:00Z"]] });
    const card = await incidentImage(s, mixed, locale);
    expect(pngSize(card)).toEqual(SOCIAL_IMAGE_SIZE);
    expect(card.byteLength).toBeGreaterThan(10_000);
  });
});

it("renders a card whose name no shipped font can draw, with the translated fallback title", async () => {
  const emojiOnly = incident({ name: "🔥🚒 ሰላም", steps: [["identified", "2025-03-05T08:00:00Z"]] });
  expect(pngSize(await incidentImage(s, emojiOnly, "de"))).toEqual(SOCIAL_IMAGE_SIZE);
});

describe("fonts", () => {
  it("draws each script with its shipped family", () => {
    const family = (text: string) => SHIPPED_FONTS[fontFor(text)]?.family;
    expect(family("A")).toBe("Geist");
    expect(family("ü")).toBe("Geist");
    expect(family("ǅ")).toBe("Noto Sans");
    expect(family("ع")).toBe("Noto Sans Arabic");
    expect(family("ש")).toBe("Noto Sans Hebrew");
    expect(family("क्ष")).toBe("Noto Sans Devanagari");
    expect(family("ล่")).toBe("Noto Sans Thai");
    expect(family("東")).toBe("Noto Sans SC");
    expect(family("デ")).toBe("Noto Sans SC");
    expect(family("서")).toBe("Noto Sans KR");
    // Nothing shipped: left out, never fetched.
    for (const missing of ["🔥", "👩‍💻", "🇯🇵", "த", "ሰ"]) expect(fontFor(missing)).toBe(-1);
  });
});

const layout = (text: string, direction: "ltr" | "rtl" | "auto" = "auto", maxWidth?: number, maxLines?: number) =>
  layoutText(text, { size: 40, direction, maxWidth, maxLines, lineHeight: 1.6, ascent: 1.15 });
/** Each line's words as displayed, left to right. */
const shown = (text: string, direction?: "ltr" | "rtl" | "auto", maxWidth?: number) => layout(text, direction, maxWidth)?.lines.map((line) => line.map((w) => w.text));

describe("shaping", () => {
  it("displays right-to-left text and the left-to-right runs inside it in order (UAX #9), brackets mirrored", () => {
    expect(shown("عطل في API v2")).toEqual([["API", "v2", "في", "عطل"]]);
    expect(shown("Outage in תל אביב today")).toEqual([["Outage", "in", "אביב", "תל", "today"]]);
    expect(shown("عطل (API)")).toEqual([[")API(", "عطل"]]);
    // A locale's direction wins over the text's first letter.
    expect(shown("Acme حالة", "rtl")).toEqual([["حالة", "Acme"]]);
    expect(shown("Acme حالة", "auto")).toEqual([["Acme", "حالة"]]);
  });

  it("breaks lines in reading order and aligns right-to-left lines to the right", () => {
    const rtl = layout("واحد اثنان ثلاثة أربعة خمسة ستة", "auto", 200)!;
    expect(rtl.lines.length).toBeGreaterThan(1);
    expect(rtl.lines[0].at(-1)?.text).toBe("واحد");
    for (const line of rtl.lines) expect(line.at(-1)!.x + line.at(-1)!.width).toBeCloseTo(rtl.width, 3);
    const ltr = layout("one two three four five six", "auto", 200)!;
    expect(ltr.lines[0][0]).toMatchObject({ text: "one", x: 0 });
  });

  it("breaks between words of scripts written without spaces, and cuts with an ellipsis past the last line", () => {
    expect(layout("東京データセンターで障害が発生しています", "auto", 300)!.lines.length).toBeGreaterThan(1);
    expect(layout("ระบบชำระเงินล่มในภูมิภาคยุโรปตะวันตก", "auto", 300)!.lines.length).toBeGreaterThan(1);
    const cut = layout("one two three four five six seven eight", "auto", 200, 1)!;
    expect(cut.truncated).toBe(true);
    expect(cut.lines).toHaveLength(1);
    expect(cut.lines[0].at(-1)?.text).toBe("…");
    expect(cut.width).toBeLessThanOrEqual(200);
  });

  it("joins Arabic letters and forms Devanagari conjuncts (OpenType shaping, not one glyph per character)", () => {
    // Two ع: an initial and a final form, two different outlines.
    const [first, second] = layout("عع")!.paths.match(/ d="[^"]+"/g)!;
    expect(first).not.toBe(second);
    expect(layout("क्ष")!.paths.match(/<path/g)).toHaveLength(1);
  });

  it("leaves out what no shipped font has, and gives null when nothing is left", () => {
    expect(layout("🔥 👩‍💻")).toBeNull();
    expect(drawable("🔥 ሰላም")).toBe(false);
    expect(shown("Fire 🔥 drill")).toEqual([["Fire", "drill"]]);
  });
});

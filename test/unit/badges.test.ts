import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { badgeSvg, componentBadge, textWidth } from "#lib/public/badges.ts";
import { layoutText } from "#lib/public/shaped-text.ts";
import { component, snapshot } from "../support/snapshots.ts";

/*
 * Badges draw names in scripts other than Latin as outlines from the shipped
 * fonts; text left to the reader's system is sized by Verdana's widths
 * (Latin) or the shipped fonts' shaped widths, and textLength holds it there.
 */
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name, path) => ["text", "use"].includes(name) || path === "svg.defs.g.g" });

describe("badge text widths", () => {
  it("keeps Verdana's widths for Latin", () => {
    // s t a t u s: 6.6 + 3.9 + 6.6 + 3.9 + 6.6 + 6.6
    expect(textWidth("status")).toBe(34);
  });

  it("measures other scripts with the shipped fonts, shaped", () => {
    // Han and kana are one em wide.
    expect(textWidth("東京データセンター")).toBe(99);
    // Arabic letters join: narrower than a Verdana letter each, and nothing like one em each.
    const arabic = textWidth("خدمة الدفع");
    expect(arabic).toBeGreaterThan(30);
    expect(arabic).toBeLessThan(66);
    // Vowel signs and viramas take no width of their own.
    const devanagari = textWidth("भुगतान सेवा");
    expect(devanagari).toBeLessThan([..."भुगतान सेवा"].length * 6.6);
    expect(devanagari).toBeGreaterThan(30);
    expect(textWidth("ระบบล่ม")).toBeGreaterThan(20);
    expect(textWidth("שירות")).toBeGreaterThan(20);
  });

  it("counts a grapheme no shipped font has (an emoji) as one em", () => {
    expect(textWidth("🔥")).toBe(11);
    expect(textWidth("API 🔥")).toBe(textWidth("API ") + 11);
  });
});

const parse = (svg: string) => {
  expect(XMLValidator.validate(svg)).toBe(true);
  return xml.parse(svg).svg;
};

describe("badge SVG", () => {
  it("draws a name in another script as outlines from the shipped fonts, its box exactly their width", () => {
    const name = "خدمة الدفع (API)";
    const svg = badgeSvg(name, "Major outage", "#b91c1c");
    const root = parse(svg);
    expect(root.title).toBe(`${name}: Major outage`);
    expect(root.defs.g["@id"]).toBe("l");
    // One group of outlines per word.
    expect(root.defs.g.g).toHaveLength(3);
    const width = Math.round(layoutText(name, { size: 11, direction: "auto", lineHeight: 1, ascent: 0 })!.width);
    expect(Number(root["@width"])).toBe(width + textWidth("Major outage") + 20);
    expect(root.g[1].use.map((u: Record<string, string>) => u["@href"])).toEqual(["#l", "#l"]);
    // The message, Latin, stays text fitted to Verdana's width.
    expect(root.g[1].text.map((t: Record<string, string>) => Number(t["@textLength"]))).toEqual([textWidth("Major outage"), textWidth("Major outage")]);
    expect(root.g[1].text.map((t: Record<string, string>) => t["#text"])).toEqual(["Major outage", "Major outage"]);
  });

  it("leaves text with an emoji to the reader's system, fitted to its measured width and direction", () => {
    const root = parse(badgeSvg("שירות 🔥", "Operational", "#15803d"));
    expect(root.defs).toBeUndefined();
    const label = root.g[1].text[0] as Record<string, string>;
    expect(label["#text"]).toBe("שירות 🔥");
    expect(Number(label["@textLength"])).toBe(textWidth("שירות 🔥"));
    expect(label["@direction"]).toBe("rtl");
    expect(root.g[1]["@font-family"]).toContain("Noto Sans Hebrew");
  });

  it("sizes a component's badge by its name in any script", () => {
    const api = component({ name: "東京 API", status: "operational" });
    const root = parse(componentBadge(snapshot({ components: [api] }), api.id)!);
    expect(Number(root["@width"])).toBe(Math.round(layoutText("東京 API", { size: 11, direction: "auto", lineHeight: 1, ascent: 0 })!.width) + textWidth("Operational") + 20);
  });
});

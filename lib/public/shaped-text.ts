import { readFileSync } from "node:fs";
import { join } from "node:path";
import bidiFactory from "bidi-js";
import * as fontkit from "fontkit";
import { OG_FONT_FILE } from "#lib/runtime/next-internals.ts";

/*
 * Text for the social cards and badges, shaped from font files shipped in
 * node_modules, never fetched. next/og's renderer (satori) shapes with
 * opentype.js: no Indic shaping (Devanagari conjuncts fall apart), an error
 * on Noto Sans Arabic's substitution tables, and for any glyph its fonts
 * lack, a fetch from Google Fonts or an emoji CDN. So the cards hand it no
 * text at all: fontkit shapes each word (OpenType GSUB/GPOS, Arabic joining,
 * Indic reordering, right-to-left glyph order), lines break here, bidi-js
 * (the Unicode Bidirectional Algorithm) orders each line's words, and each
 * block of text becomes one SVG picture of outlines that satori places (one
 * picture per block: satori masks every image, so a picture per word cost
 * ten times the render time).
 */

/** The shipped fonts in fallback order: a character missing from one is looked up in the next. */
export const SHIPPED_FONTS = [
  { family: "Geist", file: OG_FONT_FILE },
  { family: "Noto Sans Arabic", file: "node_modules/@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff" },
  { family: "Noto Sans Hebrew", file: "node_modules/@fontsource/noto-sans-hebrew/files/noto-sans-hebrew-hebrew-400-normal.woff" },
  {
    family: "Noto Sans Devanagari",
    file: "node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-400-normal.woff",
  },
  { family: "Noto Sans Thai", file: "node_modules/@fontsource/noto-sans-thai/files/noto-sans-thai-thai-400-normal.woff" },
  // Accents Geist lacks, Greek, Cyrillic; after the script fonts, as it also has (fewer) Devanagari glyphs.
  { family: "Noto Sans", file: "node_modules/@embedpdf/fonts-latin/fonts/NotoSans-Regular.ttf" },
  // Chinese and Japanese (Han, kana).
  { family: "Noto Sans SC", file: "node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf" },
  { family: "Noto Sans KR", file: "node_modules/@embedpdf/fonts-kr/fonts/NotoSansKR-Regular.otf" },
] as const;

const loaded: (fontkit.Font | undefined)[] = [];

// Read on first need: Latin text never opens the 8 MB CJK files. The files lie in node_modules, which the
// server runs beside; the hint keeps `next build` from tracing the whole project for this read.
function font(index: number): fontkit.Font {
  loaded[index] ??= fontkit.create(readFileSync(join(/*turbopackIgnore: true*/ process.cwd(), SHIPPED_FONTS[index].file))) as fontkit.Font;
  return loaded[index];
}

const bidi = bidiFactory();
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
// Joiners, variation selectors, bidi marks: shaping hints, not glyphs of their own.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** The first shipped font that has every character of the grapheme, or -1 (emoji, scripts Candor ships no font for). */
export function fontFor(grapheme: string): number {
  const needed = [...grapheme].filter((c) => !IGNORABLE.test(c)).map((c) => c.codePointAt(0)!);
  if (needed.length === 0) return -1;
  for (let i = 0; i < SHIPPED_FONTS.length; i++) {
    const f = font(i);
    if (needed.every((cp) => f.hasGlyphForCodePoint(cp))) return i;
  }
  return -1;
}

/** A word (where a line may break) shaped into outlines: SVG path elements from x = 0 on the baseline, and its widths (px). */
interface ShapedWord {
  text: string;
  level: number;
  width: number;
  /** The space after it; 0 between words of unspaced scripts. */
  space: number;
  paths: string;
}

interface Piece {
  font: number;
  text: string;
  level: number;
}

const round = (n: number) => Math.round(n * 100) / 100;
const outlines = new WeakMap<fontkit.Font, Map<number, string>>();

function outline(f: fontkit.Font, glyph: fontkit.Glyph): string {
  let cache = outlines.get(f);
  if (!cache) outlines.set(f, (cache = new Map()));
  let d = cache.get(glyph.id);
  if (d === undefined) cache.set(glyph.id, (d = glyph.path.toSVG()));
  return d;
}

/** Shapes a piece (one font, one direction) at `size` px from pen position x. */
function shapePiece(piece: Piece, size: number, x: number): { width: number; paths: string } {
  const f = font(piece.font);
  const run = f.layout(piece.text.replace(/\p{Default_Ignorable_Code_Point}/gu, (c) => (f.hasGlyphForCodePoint(c.codePointAt(0)!) ? c : "")));
  const k = size / f.unitsPerEm;
  let pen = 0;
  let paths = "";
  run.glyphs.forEach((glyph, i) => {
    const p = run.positions[i];
    const d = outline(f, glyph);
    if (d) paths += `<path transform="matrix(${k.toPrecision(5)} 0 0 ${(-k).toPrecision(5)} ${round(x + (pen + p.xOffset) * k)} ${round(-p.yOffset * k)})" d="${d}"/>`;
    pen += p.xAdvance;
  });
  return { width: pen * k, paths };
}

/** Reorders items by their bidi levels for display (UAX #9, rule L2). */
function visualOrder<T extends { level: number }>(items: T[]): T[] {
  const out = [...items];
  const max = Math.max(0, ...out.map((i) => i.level));
  const minOdd = Math.min(...out.map((i) => (i.level % 2 ? i.level : i.level + 1)));
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < out.length; i++) {
      if (out[i].level < level) continue;
      let j = i;
      while (j < out.length && out[j].level >= level) j++;
      out.splice(i, j - i, ...out.slice(i, j).reverse());
      i = j;
    }
  }
  return out;
}

/** One word: its graphemes split by font and direction, shaped, in display order. Uncovered graphemes are left out. */
function shapeWord(word: string, start: number, levels: Uint8Array, size: number, space: number): ShapedWord | null {
  const pieces: Piece[] = [];
  for (const { segment, index } of graphemes.segment(word)) {
    const f = fontFor(segment);
    if (f === -1) continue;
    const level = levels[start + index];
    const last = pieces.at(-1);
    if (last && last.font === f && last.level === level) last.text += segment;
    else pieces.push({ font: f, text: segment, level });
  }
  if (pieces.length === 0) return null;
  let width = 0;
  let paths = "";
  for (const piece of visualOrder(pieces)) {
    const shaped = shapePiece(piece, size, width);
    width += shaped.width;
    paths += shaped.paths;
  }
  return { text: word, level: Math.min(...pieces.map((p) => p.level)), width, space, paths };
}

// Scripts written without spaces: a line may break between any two of their words.
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
const words = new Intl.Segmenter("en", { granularity: "word" });

/** Where lines may break: after spaces, and between words of unspaced scripts (ICU's dictionaries find those). */
function breakable(text: string): { text: string; index: number; spaces: number }[] {
  const out: { text: string; index: number; spaces: number }[] = [];
  let previous: Intl.SegmentData | undefined;
  for (const s of words.segment(text)) {
    const last = out.at(-1);
    if (/^\s+$/.test(s.segment)) {
      if (last) last.spaces += [...s.segment].length;
    } else if (!last || last.spaces > 0 || (s.isWordLike && previous?.isWordLike && UNSPACED.test(s.segment + previous.segment))) {
      out.push({ text: s.segment, index: s.index, spaces: 0 });
    } else {
      last.text += s.segment;
    }
    previous = s;
  }
  return out;
}

function spaceWidth(size: number): number {
  const f = font(0);
  return (f.glyphForCodePoint(32).advanceWidth / f.unitsPerEm) * size;
}

/** The direction of text as its first strong character gives it (UAX #9, rules P2 and P3). */
export function paragraphDirection(text: string): "ltr" | "rtl" {
  return (bidi.getEmbeddingLevels(text).paragraphs[0]?.level ?? 0) % 2 === 1 ? "rtl" : "ltr";
}

const visible = (text: string) => [...graphemes.segment(text)].map((g) => g.segment).filter((g) => !/^\s+$/.test(g));

/** Whether any of the text can be drawn with the shipped fonts. */
export function drawable(text: string): boolean {
  return visible(text).some((g) => fontFor(g) !== -1);
}

/** Whether some of the text cannot be drawn with the shipped fonts (an emoji, an unshipped script). */
export function shippedFontsLack(text: string): boolean {
  return visible(text).some((g) => fontFor(g) === -1);
}

/** A word placed on its line: x from the block's left edge. */
export interface PlacedWord {
  text: string;
  x: number;
  width: number;
}

/** Text set in lines: each line's words left to right as displayed. */
export interface TextLayout {
  rtl: boolean;
  width: number;
  lines: PlacedWord[][];
  /** Whether lines past the last were left out (an ellipsis ends the last). */
  truncated: boolean;
  paths: string;
}

const lineWidth = (line: ShapedWord[]) => line.reduce((sum, w, i) => sum + w.width + (i < line.length - 1 ? w.space : 0), 0);

/**
 * Shapes and sets text at `size` px in lines of at most `maxWidth` px (a
 * longer word overflows its own line), at most `maxLines` of them.
 * `direction` is the paragraph's: a locale's for Candor's own words, "auto"
 * (its first strong character) for what people wrote. Null when nothing in
 * it can be drawn with the shipped fonts.
 */
export function layoutText(
  text: string,
  options: { size: number; direction: "ltr" | "rtl" | "auto"; maxWidth?: number; maxLines?: number; lineHeight: number; ascent: number },
): TextLayout | null {
  const { size, maxWidth = Infinity, maxLines = Infinity } = options;
  const { levels, paragraphs } = bidi.getEmbeddingLevels(text, options.direction === "auto" ? undefined : options.direction);
  const base = paragraphs[0]?.level ?? 0;
  // Brackets in right-to-left runs face the other way: "(" is drawn as ")" (UAX #9, rule L4).
  const mirrored = bidi.getMirroredCharactersMap(text, levels);
  const shown = text
    .split("")
    .map((c, i) => mirrored.get(i) ?? c)
    .join("");
  const space = spaceWidth(size);
  const words = breakable(shown).flatMap((w) => shapeWord(w.text, w.index, levels, size, w.spaces && space) ?? []);
  if (words.length === 0) return null;

  const lines: ShapedWord[][] = [[]];
  for (const word of words) {
    const line = lines.at(-1)!;
    if (line.length > 0 && lineWidth([...line, word]) > maxWidth) lines.push([word]);
    else line.push(word);
  }
  const truncated = lines.length > maxLines;
  if (truncated) {
    lines.length = maxLines;
    const last = lines[maxLines - 1];
    const ellipsis = shapeWord("…", 0, new Uint8Array([base]), size, 0)!;
    while (last.length > 1 && lineWidth([...last, ellipsis]) > maxWidth) last.pop();
    last.at(-1)!.space = 0;
    last.push(ellipsis);
  }

  const rtl = base % 2 === 1;
  // Each line in display order; between two words, the space after the first of them in reading order.
  const rows = lines.map((line) => {
    let x = 0;
    const ordered = visualOrder(line.map((w, index) => ({ ...w, index })));
    const at = ordered.map((w, i) => {
      const before = ordered[i - 1];
      if (before) x += Math.abs(before.index - w.index) === 1 ? line[Math.min(before.index, w.index)].space : space;
      const word = { word: w, x };
      x += w.width;
      return word;
    });
    return { at, width: x };
  });
  const width = Math.max(...rows.map((row) => row.width));
  let paths = "";
  const placed = rows.map((row, n) => {
    const indent = rtl ? width - row.width : 0;
    const y = n * size * options.lineHeight + size * options.ascent;
    return row.at.map(({ word, x }) => {
      paths += `<g transform="translate(${round(indent + x)} ${round(y)})">${word.paths}</g>`;
      return { text: word.text, x: indent + x, width: word.width };
    });
  });
  return { rtl, width, lines: placed, truncated, paths };
}

/**
 * The width of text set in the shipped fonts at `size` px, shaped, on one
 * line; a grapheme none of them has (an emoji, an unshipped script) counts
 * as one em, about what a reader's system font gives it.
 */
export function shippedTextWidth(text: string, size: number): number {
  const missing = visible(text).filter((g) => fontFor(g) === -1).length;
  return (layoutText(text, { size, direction: "auto", lineHeight: 1, ascent: 1 })?.width ?? 0) + missing * size;
}

/*
 * Hostile values for input-edge tests: what each kind of field (a line of
 * text, a body, an id or enum value, a date, a number) must refuse.
 */

/** Refused wherever text is expected. */
export const BAD_TEXT: [string, unknown][] = [
  ["NUL inside", "Data\u0000base down"],
  ["NUL only", "\u0000"],
  ["lone high surrogate", "API \ud800"],
  ["lone low surrogate", "\udc00 errors"],
  ["RTL override inside", "invoice\u202egnp.exe"],
  ["RTL override only", "\u202e"],
  ["zero-width only", "\u200b\u200b"],
  ["zero-width mix only", "\u200b\u200d\ufeff\u2060 "],
  ["bell character", "ring \u0007 ring"],
  ["escape sequence", "\u001b[31mred"],
  ["C1 control", "next\u0085line"],
  ["100 kB string", "x".repeat(100_001)],
  ["array", ["API"]],
  ["nested object", { name: { $ne: "" } }],
  ["huge number", 1e308],
  ["boolean", true],
];
/** Single-line text additionally refuses line breaks. */
export const BAD_LINE: [string, unknown][] = [...BAD_TEXT, ["newline", "two\nlines"], ["line separator", "two\u2028lines"]];
/** Refused wherever an id, an enum value, a date or a number is expected. */
export const BAD_TOKEN: [string, unknown][] = [
  ...BAD_TEXT,
  ["bad percent-encoding", "%E0%A4%A"],
  ["NaN", "NaN"],
  ["Infinity", "Infinity"],
  ["negative number", -1],
  ["empty", ""],
];
export const BAD_DATE: [string, unknown][] = [
  ...BAD_TOKEN,
  ["year -100000", "-100000-01-01"],
  ["largest JS date", "+275760-09-14"],
  ["zero date", "0000-00-00"],
  ["year 0001", "0001-01-01T00:00:00Z"],
  ["year 10000", "10000-01-01T00:00:00Z"],
  ["far future", "99999-12-31"],
  ["epoch number", 0],
  ["Date before 1970", new Date("1969-12-31T23:59:59Z")],
  ["Invalid Date", new Date(Number.NaN)],
];
export const BAD_NUMBER: [string, unknown][] = [
  ...BAD_TOKEN,
  ["1e400", "1e400"],
  ["negative huge", -1e308],
  ["fraction", 1.5],
];

export type Kind = "line" | "text" | "token" | "date" | "number";
export const CORPUS: Record<Kind, [string, unknown][]> = { line: BAD_LINE, text: BAD_TEXT, token: BAD_TOKEN, date: BAD_DATE, number: BAD_NUMBER };
/** A field's kind, optionally with corpus entries that are valid for it (a boolean for a flag, "" for an optional id). */
export type FieldSpec = Kind | [Kind, ...string[]];
/** Optional text: a value of only invisible characters is blank, which such a field accepts. */
export const OPTIONAL_TEXT: FieldSpec = ["text", "RTL override only", "zero-width only", "zero-width mix only"];
export const OPTIONAL_LINE: FieldSpec = ["line", "RTL override only", "zero-width only", "zero-width mix only"];
/** User ids are better-auth's: "NaN" is a well-formed one that names nobody (404). */
export const USER_ID: FieldSpec = ["token", "NaN", "Infinity"];

export function corpusFor(spec: FieldSpec): [string, unknown][] {
  const [kind, ...valid] = typeof spec === "string" ? [spec] : spec;
  return CORPUS[kind].filter(([label]) => !valid.includes(label));
}

/** Sets a dotted path ("components.0.id", "cadenceMinutes.SEV-1") in a copy of the base input. */
export function withValue(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const keys = path.split(".");
  let target: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys[keys.length - 1]] = value;
  return copy;
}

/*
 * `{{placeholders}}` in templates and drafts: which ones exist, finding and
 * filling them. Pure, so the admin's client components read text the same
 * way the server does.
 */

/** Placeholders a template may use; anything else is rejected when a template is saved. */
export const PLACEHOLDERS = [
  "components",
  "description",
  "eta",
  "impact",
  "workaround",
  "root_cause",
  "duration",
  "start",
  "end",
  "timeline",
  "incident",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

export function unknownPlaceholders(text: string): string[] {
  return placeholdersIn(text).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

/** "{{eta}}, {{root_cause}}": placeholder names as they are written. */
export function placeholderList(names: readonly string[]): string {
  return names.map((p) => `{{${p}}}`).join(", ");
}

/**
 * Fill `{{placeholders}}`. Blank values count as missing: the caller must not
 * publish while `missing` is non-empty.
 */
export function fillTemplate(text: string, values: Partial<Record<string, string>>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (whole, key: string) => {
    const value = values[key]?.trim();
    if (!value) {
      missing.add(key);
      return whole;
    }
    return value;
  });
  return { text: filled, missing: [...missing] };
}

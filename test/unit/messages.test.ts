import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES } from "#lib/core/locales.ts";

/*
 * The catalogs (messages/<locale>.json) against English, the source: the
 * same keys in every locale, every message valid ICU, the same placeholders
 * (names and kinds) in every translation, and no key that no code uses.
 */
const root = resolve(import.meta.dirname, "../..");
type Tree = { [key: string]: string | Tree };
const catalog = (locale: string): Tree => JSON.parse(readFileSync(join(root, "messages", `${locale}.json`), "utf8"));

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

/** Each argument a message reads, with its kind: `count:plural`, `when:date`, `name:argument`, `link:tag`. */
function placeholders(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const e of elements) {
      if (e.type === TYPE.argument) found.add(`${e.value}:argument`);
      else if (e.type === TYPE.number) found.add(`${e.value}:number`);
      else if (e.type === TYPE.date) found.add(`${e.value}:date`);
      else if (e.type === TYPE.time) found.add(`${e.value}:time`);
      else if (e.type === TYPE.plural || e.type === TYPE.select) {
        found.add(`${e.value}:${e.type === TYPE.plural ? "plural" : "select"}`);
        for (const option of Object.values(e.options)) walk(option.value);
      } else if (e.type === TYPE.tag) {
        found.add(`${e.value}:tag`);
        walk(e.children);
      }
    }
  };
  walk(parse(message));
  return [...found].sort();
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(ts|tsx)$/.test(entry.name)) out.push(readFileSync(join(entry.parentPath, entry.name), "utf8"));
  }
  return out;
}

const english = leaves(catalog("en"));

describe.each(LOCALES.filter((l) => l !== "en"))("the %s catalog", (locale) => {
  const translated = leaves(catalog(locale));

  it("has exactly English's keys", () => {
    expect({ missing: [...english.keys()].filter((k) => !translated.has(k)), extra: [...translated.keys()].filter((k) => !english.has(k)) }).toEqual({
      missing: [],
      extra: [],
    });
  });

  it("has valid ICU messages with English's placeholders", () => {
    const wrong: string[] = [];
    for (const [key, message] of translated) {
      const source = english.get(key);
      if (source === undefined) continue;
      let theirs: string[];
      try {
        theirs = placeholders(message);
      } catch (error) {
        wrong.push(`${key}: not valid ICU (${(error as Error).message})`);
        continue;
      }
      const ours = placeholders(source);
      if (theirs.join() !== ours.join()) wrong.push(`${key}: ${theirs.join(" ")} instead of ${ours.join(" ")}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("the English catalog", () => {
  it("is valid ICU throughout", () => {
    const wrong = [...english].filter(([, message]) => {
      try {
        placeholders(message);
        return false;
      } catch {
        return true;
      }
    });
    expect(wrong.map(([key]) => key)).toEqual([]);
  });

  /*
   * A key is used when the code names it under a translator of its
   * namespace: `translator(locale, "page")` and `t("banner.asOf")`, or
   * `translator(locale, "page.banner")` and `t("asOf")`, or a family of keys
   * by its prefix in a template (`t(\`componentStatus.${status}\`)`).
   */
  it("has no key that no code uses", () => {
    const code = ["app", "components", "emails", "lib", "scripts"].flatMap(sources).join("\n");
    const quoted = (text: string) => code.includes(`"${text}"`) || code.includes(`'${text}'`) || code.includes(`\`${text}\``);
    const unused = [...english.keys()].filter((key) => {
      const path = key.split(".");
      for (let i = 1; i < path.length; i++) {
        const namespace = path.slice(0, i).join(".");
        if (!quoted(namespace)) continue;
        if (quoted(path.slice(i).join("."))) return false;
        for (let j = i + 1; j < path.length; j++) if (code.includes(`\`${path.slice(i, j).join(".")}.\${`)) return false;
      }
      return true;
    });
    expect(unused).toEqual([]);
  });
});

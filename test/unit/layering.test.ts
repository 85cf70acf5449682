import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The architecture, enforced: routes and components never reach the
 * database directly (only through lib/), and components never import
 * server-only code. A new file that breaks this fails here.
 */
const root = resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return [];
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out = out.concat(files(path));
    else if (/\.(ts|tsx)$/.test(name)) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  // Type-only imports vanish at build time and carry no code across layers.
  const found = [...text.matchAll(/(?:import|export)\s(?!type\s)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)];
  return found.map((m) => m[1] ?? m[2]);
}

function resolvedTarget(file: string, specifier: string): string {
  if (specifier.startsWith(".")) return relative(root, resolve(root, dirname(file), specifier));
  if (specifier.startsWith("#")) return specifier.slice(1);
  return specifier;
}

const serverOnly = /^(db\/|pg$|@electric-sql\/pglite|kysely|next\/headers|node:|resend$|pg-boss|better-auth)/;

describe("layering", () => {
  it("app/ and components/ do not import db/ or a database driver", () => {
    const offenders = [...files("app"), ...files("components")].flatMap((file) =>
      imports(file)
        .map((s) => resolvedTarget(file, s))
        .filter((t) => /^(db\/|pg$|kysely|@electric-sql\/pglite)/.test(t))
        .map((t) => `${file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("components/ import no server-only code (db, drivers, lib modules that query)", () => {
    const queryingLib = new Set(
      files("lib").filter((f) => imports(f).some((s) => /db\/|kysely|next\/headers/.test(resolvedTarget(f, s)))),
    );
    const offenders = files("components").flatMap((file) =>
      imports(file)
        .map((s) => resolvedTarget(file, s))
        .filter((t) => serverOnly.test(t) || queryingLib.has(t) || queryingLib.has(`${t}.ts`))
        .map((t) => `${file} → ${t}`),
    );
    expect(offenders).toEqual([]);
  });

  it("SQL is written only in lib/ and db/", () => {
    const offenders = [...files("app"), ...files("components")].filter((file) =>
      /\b(selectFrom|insertInto|updateTable|deleteFrom)\(|sql`/.test(readFileSync(join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("finds the files it checks (guards against a vacuous pass)", () => {
    expect(files("lib").length).toBeGreaterThan(5);
  });
});

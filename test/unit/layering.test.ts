import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The architecture, enforced as path rules (docs/architecture.md describes
 * the areas). Dependencies point one way: lib/core is pure and everyone may
 * import it; email templates and components render from it alone; db/ knows
 * nothing of lib/; routes and components never reach the database directly.
 * A new file that breaks a rule fails here, naming the import.
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
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const ROOT_FILES = ["server.ts", "proxy.ts", "instrumentation.ts", "next.config.mjs"];
const PROJECT_DIRS = ["app", "components", "db", "emails", "lib", "messages", "scripts", "test", "bench"];
const everyFile = () => [...PROJECT_DIRS.flatMap(files), ...ROOT_FILES];

interface Import {
  specifier: string;
  /** A project file (`lib/core/time.ts`), or the package as named (`zod`, `node:fs`, `next/link`). */
  target: string;
  /** `import type`/`export type`: vanishes at build time and carries no code across areas. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), "utf8");
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm)) {
    found.push({ specifier: m[2], target: targetOf(file, m[2]), typeOnly: m[1] !== undefined });
  }
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    found.push({ specifier: m[1], target: targetOf(file, m[1]), typeOnly: false });
  }
  return found;
}

function targetOf(file: string, specifier: string): string {
  if (specifier.startsWith(".")) return relative(root, resolve(root, dirname(file), specifier));
  // package.json "imports": #lib/* → ./lib/*, and so on.
  if (specifier.startsWith("#")) return normalize(specifier.slice(1));
  return specifier;
}

const isProjectFile = (target: string) => PROJECT_DIRS.some((dir) => target.startsWith(`${dir}/`)) || ROOT_FILES.includes(target);
const DRIVERS = /^(pg$|pg\/|@electric-sql\/pglite|kysely)/;
const serverOnly = /^(db\/|pg$|@electric-sql\/pglite|kysely|next\/headers|node:|resend$|pg-boss|better-auth)/;

interface Rule {
  /** The files the rule is about. */
  area: RegExp;
  /** Project files they may import code from. */
  code: RegExp[];
  /** Project files they may import types from, besides those. */
  types?: RegExp[];
  /** Which packages they may import code from. */
  packages: (name: string) => boolean;
}

const RULES: Record<string, Rule> = {
  "lib/core is pure: it imports only lib/core, types from db/schema.ts, and pure libraries": {
    area: /^lib\/core\//,
    code: [/^lib\/core\//, /^messages\/[^/]+\.json$/],
    types: [/^db\/schema\.ts$/],
    packages: (name) => ["zod", "marked", "sanitize-html", "node:crypto", "use-intl/core", "@formatjs/intl-localematcher"].includes(name),
  },
  "emails/ render from lib/core alone (and types from db/schema.ts)": {
    area: /^emails\//,
    code: [/^emails\//, /^lib\/core\//],
    types: [/^db\/schema\.ts$/],
    packages: (name) => !serverOnly.test(name),
  },
  "db/ imports nothing from lib/ (or anywhere but db/)": {
    area: /^db\//,
    code: [/^db\//],
    packages: () => true,
  },
  "lib/domain imports no adapter or read model: nothing from lib/http or lib/public": {
    area: /^lib\/domain\//,
    code: [/^lib\/(core|domain|auth|delivery|runtime)\//, /^db\//, /^emails\//],
    packages: () => true,
  },
  "lib/public read models import no adapter: nothing from lib/http, lib/delivery or lib/auth": {
    area: /^lib\/public\//,
    code: [/^lib\/(core|domain|public|runtime)\//, /^db\//],
    packages: () => true,
  },
  "lib/imports bring another page's data in through the domain's writes: nothing from lib/http, lib/public, lib/delivery": {
    area: /^lib\/imports\//,
    code: [/^lib\/(core|domain|imports)\//, /^db\//],
    packages: () => true,
  },
  "components/ import code only from lib/core and components/ (types from anywhere)": {
    area: /^components\//,
    code: [/^components\//, /^lib\/core\//],
    types: [/./],
    packages: (name) => !serverOnly.test(name),
  },
};

/** Lines a lib file may have: past that it does more than one job. */
const MAX_LIB_LINES = 400;

describe("layering", () => {
  for (const [statement, rule] of Object.entries(RULES)) {
    it(statement, () => {
      const checked = everyFile().filter((file) => rule.area.test(file));
      expect(checked.length, `no file matches ${rule.area}`).toBeGreaterThan(0);
      const offenders = checked.flatMap((file) =>
        importsOf(file)
          .filter(({ target, typeOnly }) => {
            if (!isProjectFile(target)) return !rule.packages(target);
            const allowed = typeOnly ? [...rule.code, ...(rule.types ?? [])] : rule.code;
            return !allowed.some((pattern) => pattern.test(target));
          })
          .map(({ target, typeOnly }) => `${file} → ${target}${typeOnly ? " (type)" : ""}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  it("app/ and components/ do not import db/ or a database driver", () => {
    const offenders = [...files("app"), ...files("components")].flatMap((file) =>
      importsOf(file)
        .filter(({ target, typeOnly }) => !typeOnly && (target.startsWith("db/") || DRIVERS.test(target)))
        .map(({ target }) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("components/ import no server-only code (db, drivers, lib modules that query)", () => {
    const queryingLib = new Set(
      files("lib").filter((f) => importsOf(f).some(({ target, typeOnly }) => !typeOnly && /^db\/|kysely|next\/headers/.test(target))),
    );
    const offenders = files("components").flatMap((file) =>
      importsOf(file)
        .filter(({ target, typeOnly }) => !typeOnly && (serverOnly.test(target) || queryingLib.has(target)))
        .map(({ target }) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it("SQL is written only in lib/ and db/", () => {
    const offenders = [...files("app"), ...files("components"), ...files("emails"), ...ROOT_FILES].filter((file) =>
      /\b(selectFrom|insertInto|updateTable|deleteFrom)\(|sql`/.test(readFileSync(join(root, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("no import climbs more than two levels (use the #lib/, #db/, #emails/, #components/ subpaths)", () => {
    const offenders = everyFile().flatMap((file) =>
      importsOf(file)
        .filter(({ specifier }) => specifier.startsWith("../../../"))
        .map(({ specifier }) => `${file} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it(`no lib file is over ${MAX_LIB_LINES} lines`, () => {
    const lines = (file: string) => readFileSync(join(root, file), "utf8").trimEnd().split("\n").length;
    const oversized = files("lib").filter((file) => lines(file) > MAX_LIB_LINES);
    expect(oversized.map((file) => `${file}: ${lines(file)} lines`)).toEqual([]);
  });

  it("reads the imports it checks (guards against a vacuous pass)", () => {
    expect(files("lib").length).toBeGreaterThan(5);
    const server = importsOf("server.ts");
    expect(server).toContainEqual({ specifier: "#lib/runtime/gates.ts", target: "lib/runtime/gates.ts", typeOnly: false });
    expect(server).toContainEqual({ specifier: "node:net", target: "node:net", typeOnly: true });
    expect(importsOf("instrumentation.ts").map((i) => i.target)).toContain("db/client.ts");
    expect(importsOf("lib/core/statuses.ts")).toContainEqual({ specifier: "#db/schema.ts", target: "db/schema.ts", typeOnly: true });
  });
});

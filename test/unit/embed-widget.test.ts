import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { LOCALES } from "#lib/core/locales.ts";
import { UPDATE_STATUSES } from "#lib/core/statuses.ts";
import { translator } from "#lib/core/messages.ts";
import { fillTemplate, offeredLocale, widgetText } from "#lib/public/widget.ts";
import { microcachePath } from "#lib/runtime/microcache/keys.ts";

const root = resolve(import.meta.dirname, "../..");
/* The widget's budget, gzipped as a CDN or the microcache sends it. */
const BUDGET_BYTES = 5 * 1024;

describe("the in-app widget script", () => {
  it(`stays within ${BUDGET_BYTES} bytes gzipped`, () => {
    const source = readFileSync(join(root, "public/embed.js"));
    const gzipped = gzipSync(source, { level: 9 }).length;
    console.log(`public/embed.js: ${source.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_BYTES})`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("is ASCII only, read the same whatever charset the host page decodes it with", () => {
    for (const file of ["public/embed.js", "public/embed/script.js"]) expect(readFileSync(join(root, file), "utf8"), file).toMatch(/^[\x00-\x7f]*$/);
  });

  it("loads nothing but its own page's JSON, and writes no HTML from data", () => {
    const source = readFileSync(join(root, "public/embed.js"), "utf8");
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect([...source.matchAll(/fetch\(([^,)]+)/g)].map((m) => m[1])).toEqual(['base + "/embed/status.json"', 'base + "/embed/messages.json?locale=" + encodeURIComponent(locale'] /* up to its first parenthesis */);
    expect(source).toContain('attachShadow({ mode: "closed" })');
  });
});

describe("the widgets' words", () => {
  it("the embed script knows Candor's locales (it asks the frame for one of them)", () => {
    const source = readFileSync(join(root, "public/embed/script.js"), "utf8");
    expect(JSON.parse(/var LOCALES = (\[[^\]]*\]);/.exec(source)![1])).toEqual([...LOCALES]);
  });

  it.each(LOCALES)("%s: each template, filled as the script fills it, reads as the translator says", (locale) => {
    const text = widgetText(locale);
    const t = translator(locale, "widget");
    expect(text.locale).toBe(locale);
    expect(text.dir).toBe(locale === "ar" ? "rtl" : "ltr");
    expect(fillTemplate(text.dismiss, { name: "API <down>" }).join("")).toBe(t("dismiss", { name: "API <down>" }));
    expect(fillTemplate(text.meta, { status: "S", time: "T" }).join("")).toBe(t("meta", { status: "S", time: "T" }));
    // public/embed.js `counted`: the category's template (else `other`), the count in the locale's digits.
    const rules = new Intl.PluralRules(locale);
    const number = new Intl.NumberFormat(locale);
    for (let count = 1; count <= 120; count++) {
      for (const key of ["incidents", "incidentsAndMaintenance"] as const) {
        const forms = text[key];
        const filled = fillTemplate(forms[rules.select(count)] ?? forms.other!, { count: number.format(count) }).join("");
        expect(filled, `${key} ${count}`).toBe(t(key, { count }));
      }
    }
    const common = translator(locale, "common");
    expect(text.status).toEqual(Object.fromEntries(UPDATE_STATUSES.map((s) => [s, common(`updateStatus.${s}`)])));
  });

  it("the frame speaks a locale the page offers, else the page's default", () => {
    const page = { default_locale: "de" as const, locales: ["de" as const, "en" as const] };
    expect(offeredLocale(page, "en")).toBe("en");
    expect(offeredLocale(page, "ar")).toBe("de");
    expect(offeredLocale(page, null)).toBe("de");
  });

  it("German and Arabic differ from English where they should", () => {
    expect(widgetText("de")).toMatchObject({ dismiss: "Schließen: {name}", maintenance: "Wartung läuft", status: { identified: "Ursache erkannt" } });
    expect(widgetText("ar").incidents).toHaveProperty("few");
  });
});

describe("the embed's microcache keys", () => {
  const request = (url: string) => ({ url, method: "GET", headers: {} }) as unknown as IncomingMessage;
  it("keeps one copy per path, the frame's layout its only query", () => {
    expect(microcachePath(request("/embed/status.json?cache-buster=1"))).toBe("/embed/status.json");
    expect(microcachePath(request("/embed.js?v=2"))).toBe("/embed.js");
    expect(microcachePath(request("/embed/script.js"))).toBe("/embed/script.js");
    expect(microcachePath(request("/embed/frame?utm=x&mobile=true"))).toBe("/embed/frame?mobile=true");
    expect(microcachePath(request("/embed/frame?mobile=yes"))).toBe("/embed/frame");
    expect(microcachePath(request("/embed/other"))).toBeNull();
  });

  it("keys the frame and the widget's words by a locale only when it is one of Candor's", () => {
    expect(microcachePath(request("/embed/frame?mobile=true&locale=de"))).toBe("/embed/frame?locale=de&mobile=true");
    expect(microcachePath(request("/embed/frame?locale=ar"))).toBe("/embed/frame?locale=ar");
    expect(microcachePath(request("/embed/frame?locale=pt-BR&x=1"))).toBe("/embed/frame?locale=pt-BR");
    for (const bogus of ["xx", "de-AT", "DE", "../../etc", "en%00", "a".repeat(5000)]) {
      expect(microcachePath(request(`/embed/frame?locale=${bogus}`)), bogus).toBe("/embed/frame");
      expect(microcachePath(request(`/embed/frame?locale=${bogus}&mobile=true`)), bogus).toBe("/embed/frame?mobile=true");
      expect(microcachePath(request(`/embed/messages.json?locale=${bogus}`)), bogus).toBe("/embed/messages.json");
    }
    expect(microcachePath(request("/embed/messages.json?locale=ja&mobile=true"))).toBe("/embed/messages.json?locale=ja");
    // At most one copy per locale and layout.
    const keys = new Set(LOCALES.flatMap((l) => [`/embed/frame?locale=${l}`, `/embed/frame?mobile=true&locale=${l}`, `/embed/messages.json?locale=${l}&v=${l}`].map((u) => microcachePath(request(u)))));
    expect(keys.size).toBe(LOCALES.length * 3);
  });
});

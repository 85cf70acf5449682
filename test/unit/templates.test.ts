import { describe, expect, it } from "vitest";
import { fillTemplate, placeholdersIn, PLACEHOLDERS, unknownPlaceholders } from "#lib/core/placeholders.ts";
import { composeUpdate, listNames } from "#lib/domain/drafts.ts";
import { DEFAULT_TEMPLATES, templateInput } from "#lib/domain/templates.ts";

describe("templates", () => {
  it("finds placeholders, tolerating inner spaces, once each", () => {
    expect(placeholdersIn("{{ eta }} and {{eta}} and {{components}}")).toEqual(["eta", "components"]);
  });

  it("names placeholders a template may not use", () => {
    expect(unknownPlaceholders("{{components}} {{customer_name}} {{eta}}")).toEqual(["customer_name"]);
  });

  it("treats a blank value as missing and leaves the placeholder in place", () => {
    expect(fillTemplate("ETA {{eta}}, cause {{root_cause}}", { eta: "  ", root_cause: "DNS" })).toEqual({
      text: "ETA {{eta}}, cause DNS",
      missing: ["eta"],
    });
  });

  it("fills {{components}} from the chosen components, in words", () => {
    expect(listNames([])).toBe("");
    expect(listNames(["API"])).toBe("API");
    expect(listNames(["API", "Dashboard", "Webhooks"])).toBe("API, Dashboard and Webhooks");
    const composed = composeUpdate({
      title: "Issues with {{components}}",
      body: "We are investigating {{description}} affecting {{components}}.",
      values: { description: "slow logins", components: "ignored when components are chosen" },
      componentNames: ["API", "Dashboard"],
    });
    expect(composed).toEqual({
      title: "Issues with API and Dashboard",
      body: "We are investigating slow logins affecting API and Dashboard.",
      missing: [],
    });
  });

  it("reports every unfilled placeholder of title and body together", () => {
    const composed = composeUpdate({ title: "{{components}} down", body: "Cause: {{root_cause}}. ETA {{eta}}.", values: {}, componentNames: [] });
    expect(composed.missing.sort()).toEqual(["components", "eta", "root_cause"]);
  });

  it("does not treat text that a value brings in as a new placeholder", () => {
    const composed = composeUpdate({ body: "Cause: {{root_cause}}", values: { root_cause: "a literal {{eta}} in a log line" }, componentNames: [] });
    expect(composed.body).toBe("Cause: a literal {{eta}} in a log line");
    expect(composed.missing).toEqual([]);
  });

  it("validates placeholders on save, naming the unknown ones", () => {
    const bad = templateInput.safeParse({ kind: "incident", status: "investigating", name: "X", body: "Hello {{customer}}" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["body"]);
    expect(bad.error?.issues[0].message).toMatch(/\{\{customer\}\}/);
    const good = templateInput.safeParse({ kind: "incident", status: "investigating", name: "X", body: "{{components}}: {{description}}" });
    expect(good.success).toBe(true);
  });

  it("refuses a status that does not belong to the template's kind", () => {
    const r = templateInput.safeParse({ kind: "maintenance", status: "investigating", name: "X", body: "text" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["status"]);
  });

  it("ships defaults that only use known placeholders", () => {
    for (const t of DEFAULT_TEMPLATES) expect(unknownPlaceholders(`${t.title} ${t.body}`), t.name).toEqual([]);
    expect(PLACEHOLDERS).toContain("components");
  });
});

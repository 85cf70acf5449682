import type { Db, Tx } from "../db/client.ts";
import type { UpdateStatus } from "../db/schema.ts";
import { publicId } from "./ids.ts";

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

export interface DefaultTemplate {
  kind: "incident" | "maintenance" | "postmortem";
  status: UpdateStatus;
  name: string;
  title: string;
  body: string;
}

/* The four classic incident texts, the maintenance ones, and the postmortem outline. */
export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  {
    kind: "incident",
    status: "investigating",
    name: "Investigating",
    title: "Issues with {{components}}",
    body: "We are currently investigating {{description}} affecting {{components}}. We will post an update as soon as we know more.",
  },
  {
    kind: "incident",
    status: "identified",
    name: "Identified",
    title: "",
    body: "The issue has been identified and a fix is being implemented. Cause: {{root_cause}}. Expected resolution: {{eta}}.",
  },
  {
    kind: "incident",
    status: "monitoring",
    name: "Monitoring",
    title: "",
    body: "A fix has been implemented and we are monitoring the results for {{components}}.",
  },
  {
    kind: "incident",
    status: "resolved",
    name: "Resolved",
    title: "",
    body: "This incident has been resolved after {{duration}}. {{components}} are operating normally.",
  },
  {
    kind: "maintenance",
    status: "scheduled",
    name: "Scheduled",
    title: "Scheduled maintenance of {{components}}",
    body: "We will be undergoing scheduled maintenance of {{components}} from {{start}} to {{end}}. {{description}}",
  },
  {
    kind: "maintenance",
    status: "in_progress",
    name: "In progress",
    title: "",
    body: "Scheduled maintenance is currently in progress. We will provide updates as necessary.",
  },
  {
    kind: "maintenance",
    status: "verifying",
    name: "Verifying",
    title: "",
    body: "Verification is currently underway for the maintenance items.",
  },
  {
    kind: "maintenance",
    status: "completed",
    name: "Completed",
    title: "",
    body: "The scheduled maintenance has been completed.",
  },
  {
    kind: "postmortem",
    status: "postmortem",
    name: "Postmortem",
    title: "",
    body: [
      "## Summary",
      "{{description}}",
      "",
      "## Impact and duration",
      "{{impact}} impact on {{components}} for {{duration}}.",
      "",
      "## Timeline",
      "{{timeline}}",
      "",
      "## Root cause",
      "{{root_cause}}",
      "",
      "## Resolution",
      "{{workaround}}",
      "",
      "## Action items",
      "- ",
    ].join("\n"),
  },
];

/** Inserts the default templates; a no-op for templates that already exist. */
export async function ensureDefaultTemplates(trx: Db | Tx): Promise<void> {
  for (const t of DEFAULT_TEMPLATES) {
    await trx
      .insertInto("templates")
      .values({ id: publicId(), ...t, is_default: true })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function listTemplates(db: Db | Tx) {
  return db.selectFrom("templates").selectAll().orderBy("kind").orderBy("created_at").execute();
}

import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { UpdateStatus } from "#db/schema.ts";
import { requireRole, type Actor } from "./actors.ts";
import { recordAudit } from "./audit.ts";
import { InputError, NotFoundError, parseInput } from "#lib/core/errors.ts";
import { publicIdField, text, type TextOptions } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";

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

/** "API", "API and Dashboard", "API, Dashboard and Webhooks". */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * Fill an update's title and body from the form: `{{components}}` comes from
 * the chosen components, the rest from the placeholder fields. `missing`
 * names every placeholder still unfilled — publishing must wait for it.
 */
export function composeUpdate(input: {
  title?: string;
  body: string;
  values: Partial<Record<string, string>>;
  componentNames: string[];
}): { title: string; body: string; missing: string[] } {
  const values = { ...input.values, components: listNames(input.componentNames) || input.values.components };
  const title = fillTemplate(input.title ?? "", values);
  const body = fillTemplate(input.body, values);
  return { title: title.text, body: body.text, missing: [...new Set([...title.missing, ...body.missing])] };
}

const templateText = (options: TextOptions) =>
  text(options).refine((text) => unknownPlaceholders(text).length === 0, {
      error: (issue) =>
        `uses unknown placeholders: ${unknownPlaceholders(String(issue.input)).map((p) => `{{${p}}}`).join(", ")} (known: ${PLACEHOLDERS.join(", ")})`,
    });

const TEMPLATE_STATUSES: Record<DefaultTemplate["kind"], readonly UpdateStatus[]> = {
  incident: ["investigating", "identified", "monitoring", "resolved"],
  maintenance: ["scheduled", "in_progress", "verifying", "completed"],
  postmortem: ["postmortem"],
};

export const templateInput = z
  .object({
    kind: z.enum(["incident", "maintenance", "postmortem"]),
    status: z.enum(["investigating", "identified", "monitoring", "resolved", "postmortem", "scheduled", "in_progress", "verifying", "completed"]),
    name: text({ max: 100 }),
    title: templateText({ max: 255, required: false }).default(""),
    body: templateText({ max: 20000, multiline: true }),
  })
  .refine((t) => TEMPLATE_STATUSES[t.kind].includes(t.status), { path: ["status"], error: "does not belong to this kind of template" });

export async function createTemplate(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const data = parseInput(templateInput, input);
  return db.transaction().execute(async (trx) => {
    await requireUniqueName(trx, data);
    const template = await trx
      .insertInto("templates")
      .values({ id: publicId(), ...data, is_default: false })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: "template.create", subjectType: "template", subjectId: template.id, after: template });
    return template;
  });
}

export async function editTemplate(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const { id, ...rest } = parseInput(z.looseObject({ id: publicIdField("template") }), input);
  const data = parseInput(templateInput, rest);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("templates").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError("template");
    await requireUniqueName(trx, data, id);
    const after = await trx
      .updateTable("templates")
      .set({ ...data, updated_at: new Date() })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, { action: "template.edit", subjectType: "template", subjectId: id, before, after });
    return after;
  });
}

export async function deleteTemplate(db: Db, actor: Actor, input: unknown) {
  requireRole(actor, "editor");
  const { id } = parseInput(z.object({ id: publicIdField("template") }), input);
  return db.transaction().execute(async (trx) => {
    const before = await trx.deleteFrom("templates").where("id", "=", id).returningAll().executeTakeFirst();
    if (!before) throw new NotFoundError("template");
    await recordAudit(trx, actor, { action: "template.delete", subjectType: "template", subjectId: id, before });
    return before;
  });
}

async function requireUniqueName(trx: Tx, t: { kind: string; status: string; name: string }, exceptId?: string) {
  let query = trx
    .selectFrom("templates")
    .select("id")
    .where("kind", "=", t.kind as DefaultTemplate["kind"])
    .where("status", "=", t.status as UpdateStatus)
    .where("name", "=", t.name);
  if (exceptId) query = query.where("id", "!=", exceptId);
  if (await query.executeTakeFirst()) throw new InputError([{ field: "name", message: "is already used by another template for this status" }]);
}

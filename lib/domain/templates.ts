import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { UpdateStatus } from "#db/schema.ts";
import type { Actor } from "./actors.ts";
import { invalidInput, notFound } from "#lib/core/errors.ts";
import { publicIdField, text, type TextOptions } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { PLACEHOLDERS, placeholderList, unknownPlaceholders } from "#lib/core/placeholders.ts";
import { INCIDENT_UPDATE_STATUSES, MAINTENANCE_STATUSES, UPDATE_STATUSES } from "#lib/core/statuses.ts";
import { write } from "./write.ts";

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

const templateText = (options: TextOptions) =>
  text(options).refine((text) => unknownPlaceholders(text).length === 0, {
      error: (issue) =>
        `uses unknown placeholders: ${placeholderList(unknownPlaceholders(String(issue.input)))} (known: ${PLACEHOLDERS.join(", ")})`,
    });

const TEMPLATE_STATUSES: Record<DefaultTemplate["kind"], readonly UpdateStatus[]> = {
  incident: INCIDENT_UPDATE_STATUSES,
  maintenance: MAINTENANCE_STATUSES,
  postmortem: ["postmortem"],
};

export const templateInput = z
  .object({
    kind: z.enum(["incident", "maintenance", "postmortem"]),
    status: z.enum(UPDATE_STATUSES),
    name: text({ max: 100 }),
    title: templateText({ max: 255, required: false }).default(""),
    body: templateText({ max: 20000, multiline: true }),
  })
  .refine((t) => TEMPLATE_STATUSES[t.kind].includes(t.status), { path: ["status"], error: "does not belong to this kind of template" });

// The id is checked first: a bad id is the only thing reported.
const editTemplateInput = z.looseObject({ id: publicIdField("template") }).pipe(templateInput.safeExtend({ id: z.string() }));

// Templates are admin-only: no write here changes what the public sees.
export async function createTemplate(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: templateInput,
    public: false,
    async change(trx, data) {
      await requireUniqueName(trx, data);
      const template = await trx
        .insertInto("templates")
        .values({ id: publicId(), ...data, is_default: false })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: template, audit: { action: "template.create", subjectType: "template", subjectId: template.id, after: template } };
    },
  });
}

export async function editTemplate(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: editTemplateInput,
    public: false,
    async change(trx, { id, ...data }) {
      const before = await trx.selectFrom("templates").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
      if (!before) throw notFound("template");
      await requireUniqueName(trx, data, id);
      const after = await trx
        .updateTable("templates")
        .set({ ...data, updated_at: new Date() })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { result: after, audit: { action: "template.edit", subjectType: "template", subjectId: id, before, after } };
    },
  });
}

export async function deleteTemplate(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "editor",
    schema: z.object({ id: publicIdField("template") }),
    public: false,
    async change(trx, { id }) {
      const before = await trx.deleteFrom("templates").where("id", "=", id).returningAll().executeTakeFirst();
      if (!before) throw notFound("template");
      return { result: before, audit: { action: "template.delete", subjectType: "template", subjectId: id, before } };
    },
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
  if (await query.executeTakeFirst()) throw invalidInput([{ field: "name", message: "is already used by another template for this status" }]);
}

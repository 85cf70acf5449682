import { isLocale } from "#lib/core/locales.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import { requireRole, type Actor } from "#lib/domain/actors.ts";
import { write } from "#lib/domain/write.ts";
import { csvField } from "#lib/core/csv.ts";
import { invalidInput } from "#lib/core/errors.ts";
import { publicId } from "#lib/core/ids.ts";
import { issueToken, sendConfirmation, tokenSecret } from "./links.ts";
import { setComponents, subscriberEmail } from "./subscriptions.ts";

/* Subscribers in and out as CSV: the export for owners' records, the import for moving from another tool. */

export async function exportSubscribersCsv(db: Db, actor: Actor): Promise<string> {
  requireRole(actor, "viewer");
  const rows = await db
    .selectFrom("subscribers as s")
    .select([
      "s.email",
      "s.status",
      "s.all_components",
      "s.created_at",
      "s.confirmed_at",
      "s.consent_source",
      sql<string>`coalesce((select string_agg(sc.component_id, ';' order by sc.component_id) from subscriber_components sc where sc.subscriber_id = s.id), '')`.as("components"),
    ])
    .where("s.channel", "=", "email")
    .$narrowType<{ email: string }>()
    .orderBy("s.created_at")
    .execute();
  const lines = ["email,status,components,created_at,confirmed_at,consent_source"];
  for (const r of rows) {
    lines.push(
      [r.email, r.status, r.all_components ? "all" : r.components, r.created_at.toISOString(), r.confirmed_at?.toISOString() ?? "", r.consent_source]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

export interface ImportReport {
  imported: number;
  active: number;
  confirmationsSent: number;
  rejected: { line: number; email: string; reason: string }[];
}

/**
 * The largest CSV the import takes (about 25,000 subscribers). The server
 * actions' body limit in next.config.mjs (2 MB) leaves room for it and the
 * form around it, so a larger file gets this field's message rather than
 * Next's refusal of the whole request.
 */
export const CSV_IMPORT_MAX_BYTES = 1024 * 1024;

const csvInput = z.object({
  csv: z
    .string({ error: "must be CSV text" })
    .refine((csv) => Buffer.byteLength(csv) <= CSV_IMPORT_MAX_BYTES, "is larger than 1 MB: split the file"),
});

/*
 * CSV import: columns email, consented (yes/true/1), components (ids or
 * names separated by ";", empty or "all" for all), locale (optional: the
 * language of their emails, e.g. "de"; empty: the page's default locale). Every row is checked;
 * rejected rows are reported with their line. Rows marked as consented
 * become active; the others get the confirmation email.
 */
export async function importSubscribersCsv(db: Db, actor: Actor, input: unknown): Promise<ImportReport> {
  return write(db, actor, input, {
    role: "editor",
    schema: csvInput,
    public: false,
    async prepare({ csv }, db) {
      const rows = parseCsv(csv);
      const header = rows[0]?.map((h) => h.trim().toLowerCase()) ?? [];
      if (!header.includes("email")) throw invalidInput([{ field: "csv", message: "needs a header row with an email column" }]);
      return { rows, header, secret: await tokenSecret(db) };
    },
    async change(trx, _data, { rows, header, secret }) {
      const col = (name: string) => header.indexOf(name);
      const report: ImportReport = { imported: 0, active: 0, confirmationsSent: 0, rejected: [] };
      const components = await trx.selectFrom("components").select(["id", "name"]).where("archived_at", "is", null).execute();
      const byKey = new Map<string, string>();
      for (const c of components) {
        byKey.set(c.id, c.id);
        byKey.set(c.name.toLowerCase(), c.id);
      }
      const seen = new Set<string>();
      const defaultLocale = (await getPage(trx)).default_locale;
      for (const [index, fields] of rows.slice(1).entries()) {
        const line = index + 2;
        const raw = (fields[col("email")] ?? "").trim();
        const parsed = subscriberEmail.safeParse(raw);
        if (!parsed.success) {
          report.rejected.push({ line, email: raw, reason: "not an email address" });
          continue;
        }
        const address = parsed.data;
        if (seen.has(address)) {
          report.rejected.push({ line, email: address, reason: "appears twice in the file" });
          continue;
        }
        seen.add(address);
        const consented = col("consented") >= 0 && /^(yes|true|1|y)$/i.test((fields[col("consented")] ?? "").trim());
        const list = col("components") >= 0 ? (fields[col("components")] ?? "").trim() : "";
        const wanted = list === "" || list.toLowerCase() === "all" ? [] : list.split(";").map((s) => s.trim()).filter(Boolean);
        const ids = wanted.map((w) => byKey.get(w) ?? byKey.get(w.toLowerCase()));
        const unknown = wanted.filter((_, i) => !ids[i]);
        if (unknown.length > 0) {
          report.rejected.push({ line, email: address, reason: `unknown component: ${unknown.join(", ")}` });
          continue;
        }
        const language = col("locale") >= 0 ? (fields[col("locale")] ?? "").trim() : "";
        if (language !== "" && !isLocale(language)) {
          report.rejected.push({ line, email: address, reason: `unknown locale: ${language}` });
          continue;
        }
        const existing = await trx.selectFrom("subscribers").select("id").where("email", "=", address).executeTakeFirst();
        if (existing) {
          report.rejected.push({ line, email: address, reason: "already subscribed" });
          continue;
        }
        const subscriber = await trx
          .insertInto("subscribers")
          .values({
            id: publicId(),
            email: address,
            consent_source: "import",
            locale: isLocale(language) ? language : defaultLocale,
            status: consented ? "active" : "pending",
            confirmed_at: consented ? new Date() : null,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await setComponents(trx, subscriber.id, [...new Set(ids as string[])]);
        if (consented) {
          await issueToken(trx, secret, subscriber.id, "manage");
          report.active++;
        } else {
          await sendConfirmation(trx, secret, subscriber.id);
          report.confirmationsSent++;
        }
        report.imported++;
      }
      return {
        result: report,
        audit: {
          action: "subscriber.import",
          subjectType: "subscriber",
          after: { imported: report.imported, active: report.active, rejected: report.rejected.length },
        },
      };
    },
  });
}

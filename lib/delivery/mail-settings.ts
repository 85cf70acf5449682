import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { wholeNumber } from "#lib/core/forms.ts";
import { tokenSecret } from "#lib/domain/subscribers/links.ts";
import { write } from "#lib/domain/write.ts";

/* How updates are sent (one request per email, or batches) and the delivery time the owner aims for. */
export interface MailSettings {
  mode: "attach" | "batch" | "auto";
  targetSeconds: number;
}

export async function getMailSettings(db: Db | Tx): Promise<MailSettings> {
  await tokenSecret(db);
  const row = await db.selectFrom("mail_settings").select(["mode", "target_seconds"]).executeTakeFirst();
  return { mode: row?.mode ?? "auto", targetSeconds: row?.target_seconds ?? 120 };
}

export const mailSettingsInput = z.object({
  mode: z.enum(["attach", "batch", "auto"]),
  targetSeconds: wholeNumber(1, 86_400),
});

export async function updateMailSettings(db: Db, actor: Actor, input: unknown): Promise<MailSettings> {
  return write(db, actor, input, {
    role: "owner",
    schema: mailSettingsInput,
    public: false,
    // The settings row is created with the link secret.
    prepare: (_data, db) => tokenSecret(db),
    async change(trx, data) {
      const before = await getMailSettings(trx);
      await trx.updateTable("mail_settings").set({ mode: data.mode, target_seconds: data.targetSeconds }).execute();
      return { result: data, audit: { action: "mail_settings.update", subjectType: "mail_settings", before, after: data } };
    },
  });
}

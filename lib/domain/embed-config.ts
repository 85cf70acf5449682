import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { StatusEmbedConfigTable } from "#db/schema.ts";
import { contrastRatio, MIN_TEXT_CONTRAST, normalizeHexColor } from "#lib/core/colors.ts";
import { invalidInput, type FieldIssue } from "#lib/core/errors.ts";
import type { Actor } from "./actors.ts";
import { write } from "./write.ts";

/*
 * The Statuspage-compatible embed's settings (/embed/script.js and
 * /embed/frame): which corner the frame appears in and its colours for an
 * incident and for maintenance. Field names are Statuspage's
 * status_embed_config's, so the Statuspage v1 API serves and patches this
 * object as it is. No row yet: DEFAULT_EMBED_CONFIG.
 */

export const EMBED_POSITIONS = ["bottom-left", "bottom-right", "top-left", "top-right"] as const;
export type EmbedPosition = (typeof EMBED_POSITIONS)[number];

export type EmbedColors = Pick<
  StatusEmbedConfigTable,
  "incident_background_color" | "incident_text_color" | "maintenance_background_color" | "maintenance_text_color"
>;

export interface EmbedConfig extends EmbedColors {
  position: EmbedPosition;
  /** When it was last changed; null while the defaults stand. */
  updated_at: Date | null;
}

/* Both pairs read at 4.5:1 or better (WCAG AA): white on a dark red, white on a dark blue. */
export const DEFAULT_EMBED_CONFIG: EmbedConfig = {
  position: "bottom-left",
  incident_background_color: "#b42318",
  incident_text_color: "#ffffff",
  maintenance_background_color: "#1d4ed8",
  maintenance_text_color: "#ffffff",
  updated_at: null,
};

const color = z
  .string({ error: "must be a hex colour such as #b42318" })
  .max(16, "must be a hex colour such as #b42318")
  .transform((raw, ctx) => normalizeHexColor(raw) ?? (ctx.addIssue({ code: "custom", message: "must be a hex colour such as #b42318" }), z.NEVER));

/** A change to the settings: any of the fields (Statuspage's PATCH), each named in an error. */
export const embedConfigInput = z.strictObject({
  position: z.enum(EMBED_POSITIONS, { error: `must be one of ${EMBED_POSITIONS.join(", ")}` }).optional(),
  incident_background_color: color.optional(),
  incident_text_color: color.optional(),
  maintenance_background_color: color.optional(),
  maintenance_text_color: color.optional(),
});

const PAIRS = [
  ["incident_text_color", "incident_background_color"],
  ["maintenance_text_color", "maintenance_background_color"],
] as const;

export async function getEmbedConfig(db: Db | Tx): Promise<EmbedConfig> {
  const row = await db.selectFrom("status_embed_config").selectAll().executeTakeFirst();
  if (!row) return DEFAULT_EMBED_CONFIG;
  const { singleton: _singleton, ...config } = row;
  return config;
}

/** Owners change the settings; a text colour that reads below 4.5:1 on its background is refused, naming the text colour. */
export async function updateEmbedConfig(db: Db, actor: Actor, input: unknown): Promise<EmbedConfig> {
  return write(db, actor, input, {
    role: "owner",
    schema: embedConfigInput,
    // The frame's colours and position are in its cached page.
    public: true,
    async change(trx, data) {
      const before = await getEmbedConfig(trx);
      const merged = { ...before, ...data };
      const issues: FieldIssue[] = PAIRS.flatMap(([text, background]) => {
        const ratio = contrastRatio(merged[text], merged[background]);
        return ratio < MIN_TEXT_CONTRAST
          ? [{ field: text, message: `reads ${ratio.toFixed(1)}:1 on ${background} ${merged[background]}; at least ${MIN_TEXT_CONTRAST}:1 is needed` }]
          : [];
      });
      if (issues.length) throw invalidInput(issues);
      const { updated_at: _updated, ...values } = merged;
      if (Object.entries(values).every(([key, value]) => before[key as keyof EmbedConfig] === value) && before.updated_at) {
        return { result: before, audit: null };
      }
      const after = await trx
        .insertInto("status_embed_config")
        .values({ ...values, singleton: true, updated_at: new Date() })
        .onConflict((oc) => oc.column("singleton").doUpdateSet({ ...values, updated_at: new Date() }))
        .returningAll()
        .executeTakeFirstOrThrow();
      const { singleton: _singleton, ...config } = after;
      return { result: config, audit: { action: "embed_config.update", subjectType: "status_embed_config", before, after: config } };
    },
  });
}

import { sql } from "kysely";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import { AppError } from "#lib/core/errors.ts";

/*
 * Statuspage's rate limit per API key: on average one request a second
 * over a minute (STATUSPAGE_API_RATE_LIMIT requests per
 * STATUSPAGE_API_RATE_WINDOW seconds), bursts up to the whole window's
 * worth. Kept as GCRA (a token bucket with one number): each key's row
 * holds its "theoretical arrival time" `tat`; a request moves it on by
 * window/limit and is refused when that would put it more than a window
 * ahead of now. One upsert per request, on the database's clock, so every
 * app instance counts against the same row.
 */

const settingsSchema = z.object({
  STATUSPAGE_API_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(60),
  STATUSPAGE_API_RATE_WINDOW: z.coerce.number().int().min(1).max(86_400).default(60),
});

let memo: { raw: string; settings: z.output<typeof settingsSchema> } | undefined;

/** The limit from the environment (read per call, parsed once per value); a limit of 0 turns it off. */
export function rateSettings(env: NodeJS.ProcessEnv = process.env) {
  const raw = `${env.STATUSPAGE_API_RATE_LIMIT}/${env.STATUSPAGE_API_RATE_WINDOW}`;
  if (memo?.raw !== raw) {
    const parsed = settingsSchema.safeParse(env);
    if (!parsed.success) throw new Error(`STATUSPAGE_API_RATE_LIMIT / _WINDOW: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join("; ")}`);
    memo = { raw, settings: parsed.data };
  }
  return { limit: memo.settings.STATUSPAGE_API_RATE_LIMIT, windowSeconds: memo.settings.STATUSPAGE_API_RATE_WINDOW };
}

/** Counts one request of `apiKeyId`; throws rate_limited (with Retry-After) when it is over its rate. */
export async function consumeRate(db: Db, apiKeyId: string): Promise<void> {
  const { limit, windowSeconds } = rateSettings();
  if (limit === 0) return;
  const step = sql<string>`(${(windowSeconds * 1000) / limit}::double precision * interval '1 millisecond')`;
  const window = sql<string>`(${windowSeconds}::double precision * interval '1 second')`;
  const counted = await db
    .insertInto("api_rate_limits")
    .values({ api_key_id: apiKeyId, tat: sql<Date>`now() + ${step}` })
    .onConflict((oc) =>
      oc
        .column("api_key_id")
        .doUpdateSet({ tat: sql<Date>`greatest(api_rate_limits.tat, now()) + ${step}` })
        .where(sql<boolean>`greatest(api_rate_limits.tat, now()) + ${step} <= now() + ${window}`),
    )
    .returning("tat")
    .executeTakeFirst();
  if (counted) return;
  const ahead = await db
    .selectFrom("api_rate_limits")
    .select(sql<string>`extract(epoch from (greatest(tat, now()) + ${step} - now() - ${window}))`.as("seconds"))
    .where("api_key_id", "=", apiKeyId)
    .executeTakeFirstOrThrow();
  const retryAfterSeconds = Math.max(1, Math.ceil(Number(ahead.seconds)));
  throw new AppError("rate_limited", `this API key is over its rate of ${limit} requests per ${windowSeconds} s; retry in ${retryAfterSeconds} s`, {
    retryAfterSeconds,
  });
}

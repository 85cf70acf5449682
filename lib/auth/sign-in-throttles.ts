import { sql } from "kysely";
import { withAuthTables } from "#db/auth-schema.ts";
import type { Db } from "#db/client.ts";
import { AppError } from "#lib/core/errors.ts";

/*
 * Sign-in throttles: growing delays, never a hard lockout. Each key (an
 * account, a client IP, or a device that has signed in to the account
 * before) gets FREE attempts in a row; after that each further attempt must
 * wait 1 s, 2 s, 4 s … up to MAX_DELAY_S after the one before. A key forgets
 * its attempts once it has been quiet for FORGET_AFTER_S past its delay, and
 * an account's and a device's attempts on a success.
 *
 * Each attempt claims its turn with one upsert before the password is
 * checked: the row lock orders concurrent attempts, so of 40 simultaneous
 * guesses exactly FREE reach the check (a count-then-insert let 23 through).
 *
 * A browser that has signed in to an account holds a signed device cookie
 * (lib/auth/sessions.ts); its attempts are throttled by that device alone, so an
 * attacker guessing at the owner's account slows only themselves and never
 * locks the owner out of their usual browser (OWASP's "device cookies").
 */
export const THROTTLE = { freeAttempts: { account: 5, device: 5, ip: 20 }, maxDelaySeconds: 900, forgetAfterSeconds: 900 } as const;

export type ThrottleKind = keyof typeof THROTTLE.freeAttempts;

export interface ThrottleKey {
  kind: ThrottleKind;
  value: string;
}

function throttled(retryAfterSeconds: number): AppError {
  const wait =
    retryAfterSeconds === 1 ? "a second" : retryAfterSeconds < 90 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`;
  return new AppError("rate_limited", `Too many failed sign-ins. Try again in ${wait}.`, { retryAfterSeconds });
}

function rowKey(key: ThrottleKey): string {
  return `${key.kind}:${key.value.toLowerCase()}`;
}

/**
 * Claims one attempt for each key in order, or throws a rate_limited AppError (with
 * how long to wait) at the first key whose delay has not passed; that key is
 * not counted (the ones before it are: callers put the broadest key first).
 * clock_timestamp(), not now(): now() is the transaction's start, so a
 * concurrent attempt that began a moment earlier would find a free attempt's
 * row "not yet" due.
 */
export async function claimSignInAttempt(db: Db, keys: ThrottleKey[]): Promise<void> {
  const adb = withAuthTables(db);
  for (const key of keys) {
    const free = THROTTLE.freeAttempts[key.kind];
    // Attempts after this one; the delay it imposes on the next: 0 while free, then 1, 2, 4 … s (the exponent capped: 2^1024 overflows).
    const next = sql<number>`case when sign_in_throttles.not_before + make_interval(secs => ${THROTTLE.forgetAfterSeconds}) < clock_timestamp() then 1 else sign_in_throttles.attempts + 1 end`;
    const claimed = await adb
      .insertInto("sign_in_throttles")
      .values({ key: rowKey(key), attempts: 1, not_before: sql<Date>`clock_timestamp()` })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          attempts: next,
          not_before: sql<Date>`clock_timestamp() + make_interval(secs => case when ${next} < ${free} then 0 else least(power(2, least(${next} - ${free}, 20)), ${THROTTLE.maxDelaySeconds}) end)`,
          updated_at: sql<Date>`clock_timestamp()`,
        }).where("sign_in_throttles.not_before", "<=", sql<Date>`clock_timestamp()`),
      )
      .returning("attempts")
      .executeTakeFirst();
    if (claimed) continue;
    const row = await adb
      .selectFrom("sign_in_throttles")
      .select(sql<number>`ceil(extract(epoch from not_before - clock_timestamp()))`.as("wait"))
      .where("key", "=", rowKey(key))
      .executeTakeFirst();
    throw throttled(Math.max(1, Number(row?.wait ?? 1)));
  }
}

/** A success forgives the account's and the device's attempts (not the IP's: it may be sweeping accounts). */
export async function forgiveSignInAttempts(db: Db, keys: ThrottleKey[]): Promise<void> {
  const forgiven = keys.filter((k) => k.kind !== "ip").map(rowKey);
  if (forgiven.length === 0) return;
  await withAuthTables(db).deleteFrom("sign_in_throttles").where("key", "in", forgiven).execute();
}

/** Retention: keys quiet long enough to have forgotten their attempts hold nothing. */
export async function pruneSignInThrottles(db: Db): Promise<number> {
  const result = await withAuthTables(db)
    .deleteFrom("sign_in_throttles")
    .where(sql<boolean>`not_before + make_interval(secs => ${THROTTLE.forgetAfterSeconds}) < clock_timestamp()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

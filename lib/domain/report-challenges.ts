import { createHmac } from "node:crypto";
import { createChallenge, randomInt, verifySolution, type Challenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import { sql } from "kysely";
import { z } from "zod";
import { db as processDb, type Db, type Tx } from "#db/client.ts";
import { invalidInput } from "#lib/core/errors.ts";
import type { Locale } from "#lib/core/locales.ts";
import { translator } from "#lib/core/messages.ts";
import { tokenSecret } from "./subscribers/links.ts";

/*
 * The report form's optional proof of work (an owner turns it on in
 * Settings, e.g. during a flood): ALTCHA's self-hosted challenge, no
 * third party. The browser finds a counter whose PBKDF2 key matches the
 * challenge — about a second of work for a person, costly at bot volume —
 * and the server checks it with one HMAC (deterministic mode). A solution
 * is spent once: its challenge's signature is kept as a report attempt for
 * longer than the challenge lives.
 *
 * Without JavaScript nothing can solve it: while it is on, the form says so.
 */
export const CHALLENGE_FIELD = "challenge";
const ALGORITHM = "PBKDF2/SHA-256";
/** PBKDF2 iterations per try, and the range the secret counter is drawn from: ~2,500 tries on average. */
const COST = 500;
const COUNTER = { min: 1_000, max: 4_000 };
export const CHALLENGE_MINUTES = 10;

async function challengeSecrets(db: Db | Tx) {
  const secret = await tokenSecret(db);
  const derive = (purpose: string) => createHmac("sha256", secret).update(purpose).digest("base64url");
  return { hmacSignatureSecret: derive("report-challenge"), hmacKeySignatureSecret: derive("report-challenge-key") };
}

/** A fresh challenge for one form submission. */
export async function newReportChallenge(db: Db): Promise<Challenge> {
  return createChallenge({
    algorithm: ALGORITHM,
    cost: COST,
    counter: randomInt(COUNTER.min, COUNTER.max),
    deriveKey,
    expiresAt: new Date(Date.now() + CHALLENGE_MINUTES * 60_000),
    ...(await challengeSecrets(db)),
  });
}

// What the browser sends back, base64 JSON; parsed before anything trusts it.
const solvedPayload = z.object({
  challenge: z.object({
    parameters: z
      .object({ algorithm: z.literal(ALGORITHM), nonce: z.string().max(200), salt: z.string().max(200), cost: z.literal(COST), keyLength: z.number().int().max(64), keyPrefix: z.string().max(200) })
      .passthrough(),
    signature: z.string().min(1).max(200),
  }),
  solution: z.object({ counter: z.number().int().min(0).max(2 ** 32 - 1), derivedKey: z.string().max(200), time: z.number().optional() }),
});

/** Inside the report's transaction: a valid, unexpired solution never used before, now spent; refused in the reporter's `locale`. */
export async function spendReportChallenge(trx: Tx, encoded: unknown, locale: Locale): Promise<void> {
  const t = translator(locale, "report");
  const unsolved = (key: "challenge" | "challengeFailed" | "challengeExpired" | "challengeUsed") => invalidInput([{ field: CHALLENGE_FIELD, message: t(`errors.${key}`) }]);
  if (typeof encoded !== "string" || encoded === "" || encoded.length > 4000) throw unsolved("challenge");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    throw unsolved("challengeFailed");
  }
  const payload = solvedPayload.safeParse(json);
  if (!payload.success) throw unsolved("challengeFailed");
  const result = await verifySolution({ challenge: payload.data.challenge, solution: payload.data.solution, deriveKey, ...(await challengeSecrets(trx)) });
  if (!result.verified) throw unsolved(result.expired ? "challengeExpired" : "challengeFailed");
  const signature = payload.data.challenge.signature;
  await sql`select pg_advisory_xact_lock(hashtext(${`report:challenge:${signature}`}))`.execute(trx);
  const spent = await trx.selectFrom("report_attempts").select("id").where("scope", "=", "challenge").where("value", "=", signature).executeTakeFirst();
  if (spent) throw unsolved("challengeUsed");
  await trx.insertInto("report_attempts").values({ scope: "challenge", value: signature }).execute();
}

/* The challenge route's entry point (routes never import db/). */
export const reportChallenges = { create: async () => newReportChallenge(await processDb()) };

import { availableParallelism } from "node:os";
import { APIError } from "better-auth/api";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import { processGate } from "#lib/runtime/gates.ts";

/*
 * Password hashing (scrypt, ~70 ms of CPU) behind a gate: at most HASH_SLOTS
 * run at once and at most HASH_QUEUE wait. A sign-in flood then costs the
 * server a bounded share of its cores instead of all of them (public readers
 * kept their latency), and an attempt that would wait behind a full queue is
 * refused at once (503 with Retry-After) without hashing.
 */
const HASH_SLOTS = Math.max(1, Number(process.env.SIGN_IN_HASH_CONCURRENCY) || Math.floor(availableParallelism() / 2) || 1);
const queueSetting = Number(process.env.SIGN_IN_HASH_QUEUE ?? 16);
const HASH_QUEUE = Number.isInteger(queueSetting) && queueSetting >= 0 ? queueSetting : 16;

function busy(): APIError {
  return new APIError("SERVICE_UNAVAILABLE", { message: "Too many sign-ins at once. Try again in a few seconds." }, { "Retry-After": "2" });
}

const gate = processGate("password-hashing", HASH_SLOTS, HASH_QUEUE);

async function gated<T>(work: () => Promise<T>): Promise<T> {
  if (!(await gate.enter())) throw busy();
  try {
    return await work();
  } finally {
    gate.leave();
  }
}

/** better-auth's own scrypt hash and verify, through the gate. */
export const gatedPassword = {
  hash: (password: string) => gated(() => hashPassword(password)),
  verify: ({ hash, password }: { hash: string; password: string }) => gated(() => verifyPassword({ hash, password })),
};

/** For tests: how many hashes run and wait now. */
export function hashingLoad(): { running: number; waiting: number; slots: number; queue: number } {
  return { running: gate.running, waiting: gate.waiting, slots: gate.slots, queue: gate.queue };
}

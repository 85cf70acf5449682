import { createHash } from "node:crypto";

/*
 * How a secret we hand out (link token, API key, invite) is stored: its
 * SHA-256 in hex. The secrets are long and random, so a fast hash is enough;
 * a lookup hashes what was presented and compares the stored value.
 */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

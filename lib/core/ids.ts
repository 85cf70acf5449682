import { randomBytes } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A 12-character lowercase alphanumeric id, as Statuspage's: short, URL-safe, not sequential. */
export function publicId(): string {
  const bytes = randomBytes(24);
  let id = "";
  // 252 = 7 × 36: rejecting bytes ≥ 252 keeps the distribution uniform.
  for (const b of bytes) {
    if (b < 252) id += ALPHABET[b % 36];
    if (id.length === 12) return id;
  }
  return id + publicId().slice(id.length);
}

export const PUBLIC_ID = /^[a-z0-9]{12}$/;

import type { DbHandle } from "../db/client.ts";

export const DEMO_OWNER = {
  email: process.env.DEMO_OWNER_EMAIL ?? "owner@example.com",
  password: process.env.DEMO_OWNER_PASSWORD ?? "candor-demo-owner",
};

/*
 * Creates the demo owner through the admin area's own function when it
 * exists (lib/admin-users.ts `ensureDemoOwner`). Returns the credentials to
 * print, or null when the admin area is not part of this build.
 */
export async function demoOwnerCredentials(handle: DbHandle): Promise<{ email: string; password: string } | null> {
  const modulePath = "../lib/admin-users.ts";
  const admin = (await import(modulePath).catch(() => null)) as
    | { ensureDemoOwner?: (db: DbHandle["db"], credentials: { email: string; password: string }) => Promise<unknown> }
    | null;
  if (!admin?.ensureDemoOwner) return null;
  await admin.ensureDemoOwner(handle.db, DEMO_OWNER);
  return DEMO_OWNER;
}

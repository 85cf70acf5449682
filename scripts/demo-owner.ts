import type { DbHandle } from "#db/client.ts";
import { ensureDemoOwner } from "#lib/domain/admin-users.ts";

export const DEMO_OWNER = {
  email: process.env.DEMO_OWNER_EMAIL ?? "owner@example.com",
  password: process.env.DEMO_OWNER_PASSWORD ?? "candor-demo-owner",
};

/** Creates the demo owner through the admin area's own function; returns the credentials to print. */
export async function demoOwnerCredentials(handle: DbHandle): Promise<{ email: string; password: string }> {
  await ensureDemoOwner(handle.db, DEMO_OWNER);
  return DEMO_OWNER;
}

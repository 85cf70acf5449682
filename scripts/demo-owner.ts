import type { DbHandle } from "#db/client.ts";

export const DEMO_OWNER = {
  email: process.env.DEMO_OWNER_EMAIL ?? "owner@example.com",
  password: process.env.DEMO_OWNER_PASSWORD ?? "candor-demo-owner",
};

/** Creates the demo owner through the admin area's own function; returns the credentials to print. */
export async function demoOwnerCredentials(handle: DbHandle): Promise<{ email: string; password: string }> {
  // Loaded on call: the browser specs import DEMO_OWNER from here, and Playwright's loader cannot resolve lib's next/* imports.
  const { ensureDemoOwner } = await import("#lib/domain/admin-users.ts");
  await ensureDemoOwner(handle.db, DEMO_OWNER);
  return DEMO_OWNER;
}

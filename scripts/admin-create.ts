/*
 * The first owner (or any user): npm run admin:create -- --email a@b.c --password '…' [--role editor]
 */
import { parseArgs } from "node:util";
import { openDatabase } from "#db/client.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { isAppError } from "#lib/core/errors.ts";

const { values } = parseArgs({
  options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
});

const handle = await openDatabase();
try {
  const user = await createUser(handle.db, systemActor, values);
  console.log(`Created ${user.role} ${user.email}. Sign in at /admin/sign-in.`);
} catch (error) {
  if (isAppError(error, "invalid_input")) {
    for (const issue of error.issues) console.error(`--${issue.field || "input"} ${issue.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await handle.close();
}

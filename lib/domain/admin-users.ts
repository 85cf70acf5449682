import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { withAuthTables, type AuthDb } from "#db/auth-schema.ts";
import { database, type Db } from "#db/client.ts";
import { systemActor, type Actor, type Role } from "./actors.ts";
import { recordAudit } from "./audit.ts";
import { MIN_PASSWORD_LENGTH, ROLES } from "#lib/auth/sessions.ts";
import { AppError, invalidInput, notFound, parseInput } from "#lib/core/errors.ts";
import { publicIdField, text, wholeNumber } from "#lib/core/forms.ts";
import { publicId } from "#lib/core/ids.ts";
import { hashSecret } from "#lib/core/secrets.ts";
import { renderInviteEmail } from "#emails/render.tsx";
import { createMailer, redactEmail, senderAddress } from "#lib/delivery/mailer.ts";
import { getPage } from "./page-settings.ts";
import { write } from "./write.ts";

const email = z.email("must be an email address").max(254).transform((e) => e.trim().toLowerCase());
const password = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(128, "is at most 128 characters");
const role = z.enum(ROLES, { error: "must be owner, editor or viewer" });
const displayName = text({ max: 100, required: false }).optional();
// better-auth's own ids are longer than ours: any short token of id characters.
const userId = z.string({ error: "is not a user id" }).regex(/^[A-Za-z0-9_-]{1,64}$/, "is not a user id");

export const createUserInput = z.object({ email, password, role: role.default("owner"), name: displayName });
export const inviteInput = z.object({
  email,
  role,
  /** How long the link stays valid. */
  hours: wholeNumber(1, 24 * 14).default(72),
});
export const acceptInviteInput = z.object({ token: z.string().min(20, "is not an invite"), password, name: displayName });
export const setRoleInput = z.object({ userId, role });

/* Inserts the user row and its password account; the caller audits in the same transaction. */
async function insertUser(adb: AuthDb, data: { email: string; passwordHash: string; role: Role; name?: string }) {
  const existing = await adb.selectFrom("users").select("id").where("email", "=", data.email).executeTakeFirst();
  if (existing) throw invalidInput([{ field: "email", message: "already has an account" }]);
  const now = new Date();
  const user = await adb
    .insertInto("users")
    .values({
      id: publicId(),
      name: data.name || data.email.split("@")[0],
      email: data.email,
      emailVerified: true,
      image: null,
      createdAt: now,
      updatedAt: now,
      role: data.role,
      banned: false,
      banReason: null,
      banExpires: null,
    })
    .returning(["id", "email", "name", "role"])
    .executeTakeFirstOrThrow();
  await adb
    .insertInto("accounts")
    .values({
      id: publicId(),
      accountId: user.id,
      providerId: "credential",
      userId: user.id,
      password: data.passwordHash,
      createdAt: now,
      updatedAt: now,
    })
    .execute();
  return user;
}

/** Create a user with a password: `npm run admin:create`, and owners adding someone directly. */
export async function createUser(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "owner",
    schema: createUserInput,
    public: false,
    prepare: (data) => hashPassword(data.password),
    async change(trx, data, passwordHash) {
      const user = await insertUser(withAuthTables(trx), { ...data, passwordHash });
      return { result: user, audit: { action: "user.create", subjectType: "user", subjectId: user.id, after: user } };
    },
  });
}

// The demo's own values, not typed by a person: any email and password the caller chose.
const demoOwnerInput = z.object({ email: z.string(), password: z.string() });

/**
 * The demo start's owner: created if missing, its password (re)set to the
 * given one — or a fresh random one, printed by the caller and never stored in clear.
 */
export async function ensureDemoOwner(
  db: Db,
  credentials: { email?: string; password?: string } = {},
): Promise<{ email: string; password: string }> {
  const demoEmail = (credentials.email ?? "owner@example.com").toLowerCase();
  const demoPassword = credentials.password ?? randomBytes(12).toString("base64url");
  await write(db, systemActor, { email: demoEmail, password: demoPassword }, {
    role: "owner",
    schema: demoOwnerInput,
    public: false,
    prepare: (data) => hashPassword(data.password),
    async change(trx, data, passwordHash) {
      const adb = withAuthTables(trx);
      const existing = await adb.selectFrom("users").select("id").where("email", "=", data.email).executeTakeFirst();
      if (!existing) {
        const user = await insertUser(adb, { email: data.email, passwordHash, role: "owner", name: "Demo owner" });
        return { result: undefined, audit: { action: "user.create", subjectType: "user", subjectId: user.id, after: user } };
      }
      await adb
        .updateTable("accounts")
        .set({ password: passwordHash, updatedAt: new Date() })
        .where("userId", "=", existing.id)
        .where("providerId", "=", "credential")
        .execute();
      await adb.updateTable("users").set({ role: "owner", banned: false }).where("id", "=", existing.id).execute();
      return { result: undefined, audit: { action: "user.password", subjectType: "user", subjectId: existing.id } };
    },
  });
  return { email: demoEmail, password: demoPassword };
}

/** A one-time invite link for the owner to pass on; only the token's hash is stored. */
export async function createInvite(db: Db, actor: Actor, input: unknown) {
  const token = randomBytes(32).toString("base64url");
  return write(db, actor, input, {
    role: "owner",
    schema: inviteInput,
    public: false,
    async change(trx, data) {
      const adb = withAuthTables(trx);
      const taken = await adb.selectFrom("users").select("id").where("email", "=", data.email).executeTakeFirst();
      if (taken) throw invalidInput([{ field: "email", message: "already has an account" }]);
      const invite = await adb
        .insertInto("invites")
        .values({
          id: publicId(),
          token_hash: hashSecret(token),
          email: data.email,
          role: data.role,
          created_by: actor.name,
          expires_at: new Date(Date.now() + data.hours * 3_600_000),
        })
        .returning(["id", "email", "role", "expires_at"])
        .executeTakeFirstOrThrow();
      return {
        result: { invite, token, path: `/admin/invite/${token}` },
        audit: { action: "invite.create", subjectType: "invite", subjectId: invite.id, after: invite },
      };
    },
  });
}

/**
 * Emails the invite link as well (the owner is shown it either way). Sent
 * directly, not through the subscriber outbox: it is one email to a colleague,
 * and the owner can pass the link on when it fails. False when not sent.
 * Without RESEND_API_KEY it lands in the local outbox, which every admin
 * role can read: kept there without its link, or a viewer could redeem it.
 */
export async function emailInvite(
  db: Db,
  invite: { id: string; email: string; role: string; expires_at: Date },
  inviteUrl: string,
): Promise<boolean> {
  const page = await getPage(db);
  const rendered = await renderInviteEmail({ name: page.name, url: page.url, timeZone: page.time_zone }, inviteUrl, invite.role, invite.expires_at);
  const mailer = createMailer(db);
  const email = { ...rendered, from: senderAddress(page), to: invite.email };
  const outcome = await mailer.send(mailer.name === "outbox" ? redactEmail(email) : email, `invite/${invite.id}`);
  return outcome.ok;
}

/** What the invite page shows before the invitee picks a password; null when unusable. */
export async function findUsableInvite(db: Db, token: string) {
  const invite = await withAuthTables(db)
    .selectFrom("invites")
    .select(["id", "email", "role", "expires_at"])
    .where("token_hash", "=", hashSecret(token))
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .executeTakeFirst();
  return invite ?? null;
}

/** Redeem an invite: creates the account once; a second use, an expired or revoked link fails. */
export async function acceptInvite(db: Db, input: unknown) {
  const data = parseInput(acceptInviteInput, input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction().execute(async (trx) => {
    const adb = withAuthTables(trx);
    const invite = await adb
      .selectFrom("invites")
      .selectAll()
      .where("token_hash", "=", hashSecret(data.token))
      .forUpdate()
      .executeTakeFirst();
    if (!invite) throw notFound("invite");
    if (invite.used_at) throw new AppError("conflict", "This invite has already been used.");
    if (invite.revoked_at) throw new AppError("conflict", "This invite has been revoked.");
    if (invite.expires_at <= new Date()) throw new AppError("conflict", "This invite has expired.");
    const user = await insertUser(adb, { email: invite.email, passwordHash, role: invite.role, name: data.name });
    await adb.updateTable("invites").set({ used_at: new Date() }).where("id", "=", invite.id).execute();
    const actor: Actor = { id: user.id, name: user.email, source: "session", role: user.role };
    await recordAudit(trx, actor, { action: "invite.accept", subjectType: "user", subjectId: user.id, after: user });
    return user;
  });
}

export async function revokeInvite(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "owner",
    schema: z.object({ id: publicIdField("invite") }),
    public: false,
    async change(trx, { id }) {
      const revoked = await withAuthTables(trx)
        .updateTable("invites")
        .set({ revoked_at: new Date() })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .returning(["id", "email"])
        .executeTakeFirst();
      if (!revoked) throw notFound("open invite");
      return { result: revoked, audit: { action: "invite.revoke", subjectType: "invite", subjectId: id, before: revoked } };
    },
  });
}

/** Change a user's role; the last owner cannot be demoted (nobody could manage users after). */
export async function setUserRole(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "owner",
    schema: setRoleInput,
    public: false,
    async change(trx, data) {
      const adb = withAuthTables(trx);
      const owners = await adb.selectFrom("users").select("id").where("role", "=", "owner").forUpdate().execute();
      const before = await adb.selectFrom("users").select(["id", "email", "role"]).where("id", "=", data.userId).executeTakeFirst();
      if (!before) throw notFound("user");
      if (before.role === "owner" && data.role !== "owner" && owners.length <= 1) {
        throw invalidInput([{ field: "role", message: "cannot demote the last owner" }]);
      }
      await adb.updateTable("users").set({ role: data.role, updatedAt: new Date() }).where("id", "=", data.userId).execute();
      return {
        result: { ...before, role: data.role },
        audit: { action: "user.role", subjectType: "user", subjectId: data.userId, before: { role: before.role }, after: { role: data.role } },
      };
    },
  });
}

export async function listUsers(db: Db) {
  return withAuthTables(db)
    .selectFrom("users")
    .select(["id", "email", "name", "role", "createdAt", "banned"])
    .orderBy("createdAt")
    .execute();
}

export async function listOpenInvites(db: Db) {
  return withAuthTables(db)
    .selectFrom("invites")
    .select(["id", "email", "role", "created_by", "created_at", "expires_at"])
    .where("used_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", new Date())
    .orderBy("created_at", "desc")
    .execute();
}

/* The invite link's page and form run without a session: they open the process-wide database themselves. */
export async function inviteForLink(token: string) {
  return findUsableInvite((await database()).db, token);
}

export async function redeemInvite(input: unknown) {
  return acceptInvite((await database()).db, input);
}

export const setActiveInput = z.object({ userId, active: z.boolean() });

/*
 * Remove someone's access (or give it back): a removed user cannot sign in
 * (better-auth refuses banned users) and every session they had ends now.
 * Owners cannot remove themselves, nor the last active owner.
 */
export async function setUserActive(db: Db, actor: Actor, input: unknown) {
  return write(db, actor, input, {
    role: "owner",
    schema: setActiveInput,
    public: false,
    async change(trx, data) {
      if (!data.active && data.userId === actor.id) throw invalidInput([{ field: "userId", message: "cannot remove your own access" }]);
      const adb = withAuthTables(trx);
      const owners = await adb
        .selectFrom("users")
        .select("id")
        .where("role", "=", "owner")
        .where((eb) => eb.or([eb("banned", "is", null), eb("banned", "=", false)]))
        .forUpdate()
        .execute();
      const before = await adb.selectFrom("users").select(["id", "email", "role", "banned"]).where("id", "=", data.userId).executeTakeFirst();
      if (!before) throw notFound("user");
      if (!data.active && before.role === "owner" && owners.length <= 1) {
        throw invalidInput([{ field: "userId", message: "cannot remove the last owner" }]);
      }
      await adb
        .updateTable("users")
        .set({ banned: !data.active, banReason: data.active ? null : `removed by ${actor.name}`, updatedAt: new Date() })
        .where("id", "=", data.userId)
        .execute();
      if (!data.active) await adb.deleteFrom("sessions").where("userId", "=", data.userId).execute();
      return {
        result: { ...before, banned: !data.active },
        audit: {
          action: data.active ? "user.restore" : "user.remove",
          subjectType: "user",
          subjectId: data.userId,
          before: { active: !before.banned },
          after: { active: data.active },
        },
      };
    },
  });
}

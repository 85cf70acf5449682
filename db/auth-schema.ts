import type { ColumnType, Generated, Kysely, Transaction } from "kysely";
import type { Database } from "./schema.ts";

/* Kysely types for the sign-in tables of migrations/0002_auth.ts. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface UserTable {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  image: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  role: "owner" | "editor" | "viewer";
  banned: boolean | null;
  banReason: string | null;
  banExpires: Timestamp | null;
}

export interface SessionTable {
  id: string;
  expiresAt: Timestamp;
  token: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  ipAddress: string | null;
  userAgent: string | null;
  userId: string;
  impersonatedBy: string | null;
}

export interface AccountTable {
  id: string;
  accountId: string;
  providerId: string;
  userId: string;
  password: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface InviteTable {
  id: string;
  token_hash: string;
  email: string;
  role: "owner" | "editor" | "viewer";
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface SignInThrottleTable {
  key: string;
  attempts: number;
  not_before: Date;
  updated_at: Generated<Date>;
}

export interface AuthSecretTable {
  singleton: Generated<boolean>;
  secret: string;
}

export type AuthTables = {
  users: UserTable;
  sessions: SessionTable;
  accounts: AccountTable;
  invites: InviteTable;
  sign_in_throttles: SignInThrottleTable;
  auth_secret: AuthSecretTable;
};

export type AuthDb = Kysely<Database & AuthTables>;

/** The same connection, seen with the sign-in tables. */
export function withAuthTables(db: Kysely<Database> | Transaction<Database>): AuthDb {
  return db.withTables<AuthTables>() as AuthDb;
}

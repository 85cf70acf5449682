/*
 * Sign-in: better-auth's tables (users, sessions, accounts, verifications,
 * rate_limits — its own camelCase column names, as its Kysely adapter expects,
 * generated with `getMigrations(auth.options).compileMigrations()`), plus our
 * one-time invites, the failed sign-in log that throttles per account and IP,
 * and the signing secret when BETTER_AUTH_SECRET is not set (shared by every
 * instance on this database, and surviving restarts, so sessions do too).
 */
export const auth: string[] = [
  `create table "users" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" boolean not null, "image" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz default CURRENT_TIMESTAMP not null, "role" text not null default 'viewer' check ("role" in ('owner','editor','viewer')), "banned" boolean, "banReason" text, "banExpires" timestamptz)`,
  `create table "sessions" ("id" text not null primary key, "expiresAt" timestamptz not null, "token" text not null unique, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz not null, "ipAddress" text, "userAgent" text, "userId" text not null references "users" ("id") on delete cascade, "impersonatedBy" text)`,
  `create table "accounts" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "users" ("id") on delete cascade, "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" timestamptz, "refreshTokenExpiresAt" timestamptz, "scope" text, "password" text, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz not null)`,
  `create table "verifications" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" timestamptz not null, "createdAt" timestamptz default CURRENT_TIMESTAMP not null, "updatedAt" timestamptz default CURRENT_TIMESTAMP not null)`,
  `create table "rate_limits" ("id" text not null primary key, "key" text not null unique, "count" integer not null, "lastRequest" bigint not null)`,
  `create index "sessions_userId_idx" on "sessions" ("userId")`,
  `create index "accounts_userId_idx" on "accounts" ("userId")`,
  `create index "verifications_identifier_idx" on "verifications" ("identifier")`,
  `create table invites (
    id text primary key check (id ~ '^[a-z0-9]{12}$'),
    token_hash text not null unique,
    email text not null,
    role text not null check (role in ('owner','editor','viewer')),
    created_by text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    revoked_at timestamptz
  )`,
  `create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    ip text,
    at timestamptz not null default now()
  )`,
  `create index login_failures_email on login_failures (email, at desc)`,
  `create index login_failures_ip on login_failures (ip, at desc)`,
  `create table auth_secret (
    singleton boolean primary key default true check (singleton),
    secret text not null
  )`,
];

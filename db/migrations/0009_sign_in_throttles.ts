/*
 * Sign-in throttling by growing delays instead of a hard lockout: one row
 * per throttled key (an account, a client IP, a device that signed in
 * before). Each attempt claims its turn with one atomic upsert before the
 * password is checked, so concurrent guesses cannot all slip past a
 * count; a success deletes the account's and device's rows. Replaces the
 * failure log, which was counted then inserted (racy) and never pruned.
 */
export const signInThrottles: string[] = [
  `create table sign_in_throttles (
    key text primary key,
    attempts integer not null check (attempts > 0),
    not_before timestamptz not null,
    updated_at timestamptz not null default now()
  )`,
  `create index sign_in_throttles_updated_at on sign_in_throttles (updated_at)`,
  `drop table login_failures`,
];

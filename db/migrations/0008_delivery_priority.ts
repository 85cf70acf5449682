/*
 * Incident, maintenance and postmortem mail goes before confirmations: a
 * flood of sign-ups (each one a confirmation, one request each at the
 * provider's rate) must not hold up an incident update. The priority is
 * derived from the kind in the database, so no insert can forget it:
 * 0 = what subscribers are waiting for, 1 = confirmations.
 * Each claim walks deliveries_claim in order within one priority and mode
 * (so looking for single emails no longer steps over every queued batch row).
 */
export const deliveryPriority: string[] = [
  `alter table deliveries add column priority smallint not null
    generated always as (case when kind = 'confirmation' then 1 else 0 end) stored`,
  // Low-priority mail is one email per request: batches only ever carry priority 0.
  `alter table deliveries add constraint deliveries_low_priority_single check (priority = 0 or mode = 'attach')`,
  `drop index deliveries_claim`,
  `create index deliveries_claim on deliveries (priority, mode, next_attempt_at, id) where status = 'queued'`,
];

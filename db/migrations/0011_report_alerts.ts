/*
 * Report spike alerts: one row per component (or "none") and fixed window in
 * which the owners and editors were emailed about a spike of reports. The
 * primary key is what makes it once: of two processes racing, one insert
 * wins and only that one sends. Retention prunes rows older than a day.
 */
export const reportAlerts: string[] = [
  `create table report_alerts (
    component_key text not null check (length(component_key) between 1 and 100),
    window_start timestamptz not null,
    sent_at timestamptz not null default now(),
    recipients integer not null check (recipients >= 0),
    primary key (component_key, window_start)
  )`,
  `create index report_alerts_sent on report_alerts (sent_at)`,
];

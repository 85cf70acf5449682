/*
 * The public pages order and bound incidents by when they happened: a
 * maintenance by its window, an incident by its start. An index on that
 * expression keeps /history's LIMIT/OFFSET and the 14-day list off a full scan.
 */
export const publicIndexes: string[] = [
  `create index incidents_occurred on incidents ((coalesce(scheduled_for, started_at)) desc, id desc)`,
];

/*
 * Problem-report spikes to the team's own chat channels: a channel subscriber
 * an owner or editor adds can choose the event 'reports' (never offered on the
 * public sign-up), and the spike alert posts there besides emailing.
 */
export const reportSpikeChannels: string[] = [
  `alter table subscribers drop constraint subscribers_events_check`,
  `alter table subscribers add constraint subscribers_events_check
    check (events <@ array['incident','maintenance','component','reports']::text[] and cardinality(events) > 0)`,
];

import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import { sendRate } from "./mailer.ts";

/*
 * The shared rate limiter: every request, from any worker in any process,
 * first reserves the next free slot (1/rate seconds apart) on one row, and
 * waits for it. Times come from the database's clock, so hosts need not agree.
 */
export async function acquireSlot(db: Db, rate = sendRate()): Promise<void> {
  const { interval, slack } = slotTimes(rate);
  const { rows } = await sql<{ wait_ms: number }>`
    insert into send_rate as r (name, next_at) values ('resend', clock_timestamp() + ${interval} * interval '1 millisecond')
    on conflict (name) do update
      set next_at = greatest(r.next_at, clock_timestamp() - ${slack} * interval '1 millisecond') + ${interval} * interval '1 millisecond'
    returning (extract(epoch from (r.next_at - clock_timestamp())) * 1000 - ${interval})::float8 as wait_ms`.execute(db);
  const wait = rows[0]?.wait_ms ?? 0;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

/*
 * Low-priority mail takes a slot only when one is free right now and never
 * reserves ahead, so an incident email arriving later waits at most one
 * slot, however many confirmations are queued; with nothing else to send
 * they still get every slot. Returns 0 when the slot was taken, else the
 * milliseconds until the next one frees up.
 */
export async function takeFreeSlot(db: Db, rate = sendRate()): Promise<number> {
  const { interval, slack } = slotTimes(rate);
  const taken = await sql`
    insert into send_rate as r (name, next_at) values ('resend', clock_timestamp() + ${interval} * interval '1 millisecond')
    on conflict (name) do update
      set next_at = greatest(r.next_at, clock_timestamp() - ${slack} * interval '1 millisecond') + ${interval} * interval '1 millisecond'
      where r.next_at <= clock_timestamp()
    returning 1`.execute(db);
  if (taken.rows.length > 0) return 0;
  const { rows } = await sql<{ wait_ms: number }>`
    select (extract(epoch from (next_at - clock_timestamp())) * 1000)::float8 as wait_ms from send_rate where name = 'resend'`.execute(db);
  return Math.max(1, Math.ceil(rows[0]?.wait_ms ?? 1));
}

function slotTimes(rate: number) {
  const interval = 1000 / rate;
  // A slot missed by up to a quarter second (a slow lane, a GC pause) may be caught up, never more.
  return { interval, slack: Math.floor(250 / interval) * interval };
}

/** The provider said 429: every worker holds off until retry-after has passed. */
export async function holdOff(db: Db, ms: number): Promise<void> {
  await sql`
    update send_rate set next_at = greatest(next_at, clock_timestamp() + ${ms} * interval '1 millisecond')
    where name = 'resend'`.execute(db);
}

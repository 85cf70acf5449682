import { sql } from "kysely";
import type { Db } from "#db/client.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { ensureDefaultTemplates } from "#lib/domain/templates.ts";

/*
 * A 10-year history for scale benchmarks, written set-based in SQL:
 * 100 components (or `components`) in groups of ten, 10,000 resolved
 * incidents with 3 updates each, and 200,000 component status changes.
 */
export async function generateLongHistory(db: Db, options: { components?: number } = {}, now = new Date()): Promise<void> {
  const components = options.components ?? 100;
  const groups = Math.max(1, Math.ceil(components / 10));
  await ensureDefaultTemplates(db);
  await getPage(db);
  const years = 10;
  const span = `${years * 365} days`;
  const nowIso = now.toISOString();
  await sql`insert into component_groups (id, name, position, created_at)
    select 'grp' || lpad(g::text, 9, '0'), 'Group ' || g, g, ${nowIso}::timestamptz - interval '3700 days'
    from generate_series(1, ${groups}) g`.execute(db);
  await sql`insert into components (id, group_id, name, position, created_at)
    select 'cmp' || lpad(c::text, 9, '0'), 'grp' || lpad((1 + (c - 1) / 10)::text, 9, '0'), 'Component ' || c,
           1 + (c - 1) % 10, ${nowIso}::timestamptz - interval '3700 days'
    from generate_series(1, ${components}) c`.execute(db);
  await sql`insert into component_status_changes (component_id, status, at)
    select 'cmp' || lpad(c::text, 9, '0'), 'operational', ${nowIso}::timestamptz - interval '3700 days'
    from generate_series(1, ${components}) c`.execute(db);
  // 200,000 changes: alternating bad/operational pairs, spread evenly over ten years.
  await sql`insert into component_status_changes (component_id, status, at)
    select 'cmp' || lpad((1 + s % ${components})::text, 9, '0'),
           case when s % 2 = 0 then (array['degraded_performance','partial_outage','major_outage'])[1 + (s / 2) % 3] else 'operational' end,
           ${nowIso}::timestamptz - interval ${sql.lit(span)} + (s / 2) * (interval ${sql.lit(span)} / 100000) + (s % 2) * interval '40 minutes'
    from generate_series(0, 199999) s`.execute(db);
  await sql`insert into incidents (id, reference, kind, name, status, impact, severity, started_at, created_at, updated_at, resolved_at)
    select 'inc' || lpad(i::text, 9, '0'), 'INC-' || (2016 + i / 1000) || '-' || lpad((i % 1000 + 1)::text, 4, '0'),
           'incident', 'Historic incident ' || i, 'resolved',
           (array['minor','major','critical','none'])[1 + i % 4], (array['SEV-3','SEV-2','SEV-1','SEV-4'])[1 + i % 4],
           ${nowIso}::timestamptz - interval ${sql.lit(span)} + i * (interval ${sql.lit(span)} / 10000),
           ${nowIso}::timestamptz - interval ${sql.lit(span)} + i * (interval ${sql.lit(span)} / 10000),
           ${nowIso}::timestamptz - interval ${sql.lit(span)} + i * (interval ${sql.lit(span)} / 10000) + interval '90 minutes',
           ${nowIso}::timestamptz - interval ${sql.lit(span)} + i * (interval ${sql.lit(span)} / 10000) + interval '90 minutes'
    from generate_series(0, 9999) i`.execute(db);
  await sql`insert into incident_components (incident_id, component_id)
    select 'inc' || lpad(i::text, 9, '0'), 'cmp' || lpad((1 + i % ${components})::text, 9, '0') from generate_series(0, 9999) i`.execute(db);
  await sql`insert into incident_updates (id, incident_id, status, body, display_at, created_at, updated_at)
    select 'u' || lpad((i * 3 + k)::text, 11, '0'), 'inc' || lpad(i::text, 9, '0'),
           (array['investigating','identified','resolved'])[k + 1], 'Update ' || k || ' of incident ' || i,
           inc.started_at + k * interval '45 minutes', inc.started_at + k * interval '45 minutes', inc.started_at + k * interval '45 minutes'
    from generate_series(0, 9999) i cross join generate_series(0, 2) k
    join incidents inc on inc.id = 'inc' || lpad(i::text, 9, '0')`.execute(db);
  await sql`analyze`.execute(db);
}

import { sql, type Kysely } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import { foundation } from "./0001_foundation.ts";
import { auth } from "./0002_auth.ts";
import { subscribers } from "./0003_subscribers.ts";
import { publicIndexes } from "./0004_public_indexes.ts";
import { apiKeys } from "./0005_api_keys.ts";
import { uptimeRollups } from "./0006_uptime_rollups.ts";
import { publicChanges } from "./0007_public_changes.ts";
import { deliveryPriority } from "./0008_delivery_priority.ts";
import { signInThrottles } from "./0009_sign_in_throttles.ts";
import { problemReports } from "./0010_problem_reports.ts";
import { reportAlerts } from "./0011_report_alerts.ts";
import { statuspageV1Writes } from "./0015_statuspage_v1_writes.ts";
import { reportFollowups } from "./0016_report_followups.ts";
import { importMappings } from "./0017_import_mappings.ts";
import { metrics } from "./0018_metrics.ts";
import { importRuns } from "./0019_import_runs.ts";
import { reportSpikeChannels } from "./0020_report_spike_channels.ts";
import { ownerApiKeys } from "./0021_owner_api_keys.ts";
import { statusEmbedConfig } from "./0013_status_embed_config.ts";
import { channelSubscribers } from "./0012_channel_subscribers.ts";
import { milestones } from "./0014_milestones.ts";
import { locales } from "./0022_locales.ts";
import { reportLocale } from "./0023_report_locale.ts";

/*
 * A static map (no file-system provider) so the migrations bundle into Next
 * and run the same on pg and PGlite. Each migration is a list of SQL
 * statements, run one by one inside the migrator's transaction.
 */
function statements(list: string[]): Migration {
  return {
    async up(db: Kysely<any>) {
      for (const statement of list) await sql.raw(statement).execute(db);
    },
  };
}

const migrations: Record<string, Migration> = {
  "0001_foundation": statements(foundation),
  "0002_auth": statements(auth),
  "0003_subscribers": statements(subscribers),
  "0004_public_indexes": statements(publicIndexes),
  "0005_api_keys": statements(apiKeys),
  "0006_uptime_rollups": statements(uptimeRollups),
  "0007_public_changes": statements(publicChanges),
  "0008_delivery_priority": statements(deliveryPriority),
  "0009_sign_in_throttles": statements(signInThrottles),
  "0010_problem_reports": statements(problemReports),
  "0011_report_alerts": statements(reportAlerts),
  "0015_statuspage_v1_writes": statements(statuspageV1Writes),
  "0016_report_followups": statements(reportFollowups),
  "0017_import_mappings": statements(importMappings),
  "0018_metrics": statements(metrics),
  "0019_import_runs": statements(importRuns),
  "0020_report_spike_channels": statements(reportSpikeChannels),
  "0021_owner_api_keys": statements(ownerApiKeys),
  "0013_status_embed_config": statements(statusEmbedConfig),
  "0012_channel_subscribers": statements(channelSubscribers),
  "0014_milestones": statements(milestones),
  "0022_locales": statements(locales),
  "0023_report_locale": statements(reportLocale),
};

export async function migrate(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, { cause: error });
  }
}

import { z } from "zod";
import { statusChangeInput } from "#lib/domain/components.ts";
import { declareInput, updateInput } from "#lib/domain/incidents.ts";
import { scheduleInput } from "#lib/domain/maintenance.ts";
import { metricChanges, metricInput, pointsInput } from "#lib/domain/metrics.ts";
import { METRIC_PERIODS, type MetricPeriod } from "#lib/core/metric-charts.ts";
import { milestonesInput } from "#lib/domain/milestones.ts";
import { INCIDENT_STATUSES, INCIDENT_UPDATE_STATUSES, MAINTENANCE_STATUSES } from "#lib/core/statuses.ts";

/*
 * What /api/v1 accepts: request bodies (the domain's own input schemas,
 * minus what the path names) and query strings.
 */

export const createIncidentBody = declareInput;
// The incidents route takes incident statuses only (maintenance moves by its own schedule).
export const postUpdateBody = updateInput
  .omit({ incidentId: true })
  .extend({ status: z.enum(INCIDENT_UPDATE_STATUSES) });
export const milestonesBody = milestonesInput.omit({ incidentId: true });
export { reportQuery as reliabilityQuery } from "#lib/core/report-table.ts";
export const changeComponentBody = statusChangeInput.omit({ componentId: true });
export const createMaintenanceBody = scheduleInput;
export const createMetricBody = metricInput;
export const editMetricBody = metricChanges;
export const metricPointsBody = pointsInput.omit({ metricId: true });
export const metricSeriesQuery = z.object({
  period: z
    .enum(Object.keys(METRIC_PERIODS) as [MetricPeriod, ...MetricPeriod[]], { error: "must be day, week or month" })
    .default("day")
    .meta({ description: "day: 5-minute steps; week: hourly; month: 6-hourly." }),
});

const limit = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(1, "is at least 1")
  .max(100, "is at most 100")
  .default(25)
  .meta({ description: "Page size (1–100)." });
const offset = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "is at least 0")
  .default(0)
  .meta({ description: "Items to skip; use `pagination.nextOffset` of the previous page." });

/** A paged list's query: `status` is one of the kind's statuses, or `open`. */
function listQuery<S extends readonly [string, ...string[]]>(statuses: S, description: string) {
  return z.object({
    status: z
      .enum([...statuses, "open"] as [...S, "open"], { error: `must be one of open, ${statuses.join(", ")}` })
      .optional()
      .meta({ description }),
    limit,
    offset,
  });
}

export const incidentListQuery = listQuery(
  INCIDENT_STATUSES,
  "`open` lists unresolved incidents; a lifecycle status lists incidents in it.",
);
export const maintenanceListQuery = listQuery(MAINTENANCE_STATUSES, "`open` lists maintenance not yet completed.");

export type ListQuery = z.output<typeof incidentListQuery> | z.output<typeof maintenanceListQuery>;

export const noQuery = z.object({});

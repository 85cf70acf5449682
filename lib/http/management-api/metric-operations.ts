import { notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { addMetricPoints, createMetric, editMetric } from "#lib/domain/metrics.ts";
import { metricList, metricResource, metricSeriesResource, pointsAccepted, readMetric, readMetrics, readMetricSeries } from "./metric-presenters.ts";
import { operation, type AnyOperation } from "./operation.ts";
import { createMetricBody, editMetricBody, metricPointsBody, metricSeriesQuery } from "./schemas.ts";

/* /api/v1's system metrics operations (lib/domain/metrics.ts), listed in ./operations.ts. */
export const metricOperations: AnyOperation[] = [
  operation({
    operationId: "listMetrics",
    method: "GET",
    path: "/metrics",
    tag: "Metrics",
    summary: "List system metrics, in page order",
    role: "viewer",
    response: { status: 200, name: "MetricList", schema: metricList },
    run: ({ db }) => readMetrics(db),
  }),
  operation({
    operationId: "createMetric",
    method: "POST",
    path: "/metrics",
    tag: "Metrics",
    summary: "Create a system metric",
    description: "A series shown as a chart under the components (unless `display` is false). Feed it with `POST /metrics/{id}/points`.",
    role: "editor",
    body: { name: "CreateMetric", schema: createMetricBody },
    idempotent: true,
    response: { status: 201, name: "Metric", schema: metricResource },
    run: ({ db, actor, body }) => createMetric(db, actor, body),
    present: (reader, result) => readMetric(reader, result.id),
    location: (body) => `/metrics/${(body as { id: string }).id}`,
  }),
  operation({
    operationId: "getMetric",
    method: "GET",
    path: "/metrics/{id}",
    tag: "Metrics",
    summary: "Read a system metric",
    role: "viewer",
    response: { status: 200, name: "Metric", schema: metricResource },
    run: ({ db, params }) => readMetric(db, params.id),
  }),
  operation({
    operationId: "editMetric",
    method: "PATCH",
    path: "/metrics/{id}",
    tag: "Metrics",
    summary: "Change a system metric; fields left out stay as they are",
    role: "editor",
    body: { name: "EditMetric", schema: editMetricBody },
    response: { status: 200, name: "Metric", schema: metricResource },
    run: ({ db, actor, params, body }) => {
      if (!PUBLIC_ID.test(params.id)) throw notFound("metric");
      return editMetric(db, actor, { ...body, metricId: params.id });
    },
    present: (reader, result) => readMetric(reader, result.id),
  }),
  operation({
    operationId: "addMetricPoints",
    method: "POST",
    path: "/metrics/{id}/points",
    tag: "Metrics",
    summary: "Add data points to a metric",
    description:
      "Up to 3000 points a request, each `{timestamp, value}` with the timestamp as epoch seconds or ISO 8601, at most 28 days old. Points are kept averaged per minute (2 days), hour (35 days) and day (400 days).",
    role: "editor",
    body: { name: "MetricPoints", schema: metricPointsBody },
    response: { status: 201, name: "PointsAccepted", schema: pointsAccepted },
    run: ({ db, actor, params, body }) => {
      if (!PUBLIC_ID.test(params.id)) throw notFound("metric");
      return addMetricPoints(db, actor, { ...body, metricId: params.id });
    },
  }),
  operation({
    operationId: "getMetricSeries",
    method: "GET",
    path: "/metrics/{id}/series",
    tag: "Metrics",
    summary: "A metric's chart data: averages per step over a day, week or month",
    role: "viewer",
    query: metricSeriesQuery,
    response: { status: 200, name: "MetricSeries", schema: metricSeriesResource },
    run: ({ db, params, query }) => {
      if (!PUBLIC_ID.test(params.id)) throw notFound("metric");
      return readMetricSeries(db, params.id, query.period);
    },
  }),
] as AnyOperation[];

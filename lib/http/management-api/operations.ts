import { z } from "zod";
import type { Db, Tx } from "#db/client.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { changeComponentStatus } from "#lib/domain/components.ts";
import { notFound } from "#lib/core/errors.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { declareIncident, postUpdate } from "#lib/domain/incidents.ts";
import { scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { metricOperations } from "./metric-operations.ts";
import { operation, type AnyOperation, type Tag } from "./operation.ts";
import { deleteSubscriber } from "#lib/domain/subscribers/admin.ts";
import { createChannelSubscriber, reenableChannelSubscriber } from "#lib/domain/subscribers/channels.ts";
import { sendTestMessage } from "#lib/delivery/channel-send.ts";
import {
  channelSubscriberList,
  channelSubscriberResource,
  channelTestResult,
  createChannelSubscriberBody,
  createdChannelSubscriber,
  readChannelSubscriber,
  readChannelSubscribers,
} from "./channel-subscribers.ts";
import { reliabilityDocument } from "#lib/domain/measures.ts";
import { setMilestones } from "#lib/domain/milestones.ts";
import {
  componentList,
  componentResource,
  incidentList,
  incidentResource,
  listIncidents,
  listMaintenance,
  maintenanceList,
  maintenanceResource,
  readComponent,
  readComponents,
  readIncident,
  readIncidentTimeline,
  readMaintenance,
  reliabilityResource,
  requireKind,
  updateResource,
} from "./presenters.ts";
import {
  changeComponentBody,
  createIncidentBody,
  createMaintenanceBody,
  incidentListQuery,
  maintenanceListQuery,
  milestonesBody,
  postUpdateBody,
  reliabilityQuery,
  type ListQuery,
} from "./schemas.ts";

/*
 * The operations of /api/v1, one entry each: method, path, the role it
 * needs, its schemas and what it runs. The handler serves them and the
 * OpenAPI document describes them from this one table; route files only
 * name an operation.
 */

/**
 * Incidents and maintenance are one table with one API shape: a paged
 * list, an idempotent create answering the new resource, and a read.
 */
function lifecycleOperations<B extends z.ZodType, T>(spec: {
  path: "/incidents" | "/maintenance";
  tag: Tag;
  resource: { name: string; schema: z.ZodType; read(reader: Db | Tx, id: string): Promise<unknown> };
  list: { operationId: string; summary: string; name: string; schema: z.ZodType; query: z.ZodType<ListQuery>; read(reader: Db, query: ListQuery): Promise<unknown> };
  create: { operationId: string; summary: string; description: string; body: { name: string; schema: B }; run(db: Db, actor: Actor, body: z.output<B>): Promise<T>; createdId(result: T): string };
  get: { operationId: string; summary: string };
}): AnyOperation[] {
  const { path, tag, resource, list, create, get } = spec;
  return [
    operation({
      operationId: list.operationId,
      method: "GET",
      path,
      tag,
      summary: list.summary,
      role: "viewer",
      query: list.query,
      response: { status: 200, name: list.name, schema: list.schema },
      run: ({ db, query }) => list.read(db, query),
    }),
    operation({
      operationId: create.operationId,
      method: "POST",
      path,
      tag,
      summary: create.summary,
      description: create.description,
      role: "editor",
      body: create.body,
      idempotent: true,
      response: { status: 201, name: resource.name, schema: resource.schema },
      run: ({ db, actor, body }) => create.run(db, actor, body),
      present: (reader, result) => resource.read(reader, create.createdId(result)),
      location: (body) => `${path}/${(body as { id: string }).id}`,
    }),
    operation({
      operationId: get.operationId,
      method: "GET",
      path: `${path}/{id}`,
      tag,
      summary: get.summary,
      role: "viewer",
      response: { status: 200, name: resource.name, schema: resource.schema },
      run: ({ db, params }) => resource.read(db, params.id),
    }),
  ] as AnyOperation[];
}

export const operations: AnyOperation[] = [
  ...lifecycleOperations({
    path: "/incidents",
    tag: "Incidents",
    resource: { name: "Incident", schema: incidentResource, read: readIncident },
    list: {
      operationId: "listIncidents",
      summary: "List incidents, newest first",
      name: "IncidentList",
      schema: incidentList,
      query: incidentListQuery,
      read: listIncidents,
    },
    create: {
      operationId: "createIncident",
      summary: "Declare an incident",
      description:
        "Declares an incident with its first update. `body` must have no unfilled `{{placeholders}}`. Subscribers are notified unless `notify` is false.",
      body: { name: "CreateIncident", schema: createIncidentBody },
      run: declareIncident,
      createdId: (result) => result.incident.id,
    },
    get: { operationId: "getIncident", summary: "Read an incident with its timeline" },
  }),
  operation({
    operationId: "postIncidentUpdate",
    method: "POST",
    path: "/incidents/{id}/updates",
    tag: "Incidents",
    summary: "Post an update to an incident",
    description:
      "Adds an update to the timeline, moves the incident's status and the listed components' statuses. A `displayAt` earlier than the latest update backfills without moving the lifecycle.",
    role: "editor",
    body: { name: "PostUpdate", schema: postUpdateBody },
    idempotent: true,
    response: { status: 201, name: "Update", schema: updateResource },
    async run({ db, actor, params, body }) {
      await requireKind(db, params.id, "incident");
      return postUpdate(db, actor, { ...body, incidentId: params.id });
    },
    present: async (reader, result) => (await readIncidentTimeline(reader, result.incident.id)).find((u) => u.id === result.update.id),
    location: (body) => `/incidents/${(body as { incidentId: string }).incidentId}`,
  }),
  operation({
    operationId: "setIncidentMilestones",
    method: "PATCH",
    path: "/incidents/{id}/milestones",
    tag: "Incidents",
    summary: "Correct when an incident started, was detected and was acknowledged",
    description:
      "Started ≤ detected ≤ acknowledged, none in the future. `null` clears a given time (it is then taken as the declaration). Audited; see docs/measures.md.",
    role: "editor",
    body: { name: "SetMilestones", schema: milestonesBody },
    response: { status: 200, name: "Incident", schema: incidentResource },
    async run({ db, actor, params, body }) {
      await requireKind(db, params.id, "incident");
      return setMilestones(db, actor, { ...body, incidentId: params.id });
    },
    present: (reader, result) => readIncident(reader, result.id),
  }),
  operation({
    operationId: "getReliabilityReport",
    method: "GET",
    path: "/reliability",
    tag: "Reliability",
    summary: "The reliability report of a month or a range, beside the period before",
    description:
      "`month` (YYYY-MM) or `from` and `to` (days, both included, in the page's zone); neither: the current month. `component` narrows it to one component. The same figures as the admin's report and its CSV and JSON exports; durations are medians and 90th percentiles with counts (docs/measures.md).",
    role: "viewer",
    query: reliabilityQuery,
    response: { status: 200, name: "ReliabilityReport", schema: reliabilityResource },
    run: ({ db, query }) => reliabilityDocument(db, query),
  }),
  operation({
    operationId: "listComponents",
    method: "GET",
    path: "/components",
    tag: "Components",
    summary: "List components with their current status, in page order",
    role: "viewer",
    response: { status: 200, name: "ComponentList", schema: componentList },
    run: async ({ db }) => ({ data: await readComponents(db) }),
  }),
  operation({
    operationId: "getComponent",
    method: "GET",
    path: "/components/{id}",
    tag: "Components",
    summary: "Read a component",
    role: "viewer",
    response: { status: 200, name: "Component", schema: componentResource },
    run: ({ db, params }) => readComponent(db, params.id),
  }),
  operation({
    operationId: "changeComponentStatus",
    method: "PATCH",
    path: "/components/{id}",
    tag: "Components",
    summary: "Change a component's status outside an incident",
    role: "editor",
    body: { name: "ChangeComponentStatus", schema: changeComponentBody },
    response: { status: 200, name: "Component", schema: componentResource },
    run: ({ db, actor, params, body }) => {
      if (!PUBLIC_ID.test(params.id)) throw notFound("component");
      return changeComponentStatus(db, actor, { ...body, componentId: params.id });
    },
    present: (reader, result) => readComponent(reader, result.componentId),
  }),
  ...lifecycleOperations({
    path: "/maintenance",
    tag: "Maintenance",
    resource: { name: "Maintenance", schema: maintenanceResource, read: readMaintenance },
    list: {
      operationId: "listMaintenance",
      summary: "List maintenance, latest window first",
      name: "MaintenanceList",
      schema: maintenanceList,
      query: maintenanceListQuery,
      read: listMaintenance,
    },
    create: {
      operationId: "createMaintenance",
      summary: "Schedule maintenance",
      description:
        "Schedules a window. With `autoTransition` (the default) it moves to in progress at `scheduledFor` and to completed at `scheduledUntil` by itself.",
      body: { name: "CreateMaintenance", schema: createMaintenanceBody },
      run: scheduleMaintenance,
      createdId: (result) => result.maintenance.id,
    },
    get: { operationId: "getMaintenance", summary: "Read a maintenance with its timeline" },
  }),
  ...metricOperations,
  operation({
    operationId: "listChannelSubscribers",
    method: "GET",
    path: "/channel-subscribers",
    tag: "Channel subscribers",
    summary: "List webhook, Slack, Discord and Teams subscribers (host and kind; never the URL or secret)",
    role: "viewer",
    response: { status: 200, name: "ChannelSubscriberList", schema: channelSubscriberList },
    run: ({ db, actor }) => readChannelSubscribers(db, actor),
  }),
  operation({
    operationId: "createChannelSubscriber",
    method: "POST",
    path: "/channel-subscribers",
    tag: "Channel subscribers",
    summary: "Add a channel subscriber",
    description:
      "The kind is detected from the URL's host unless `channel` is given. The answer carries the signing `secret` once; it is never shown again (so this create is not replayed by Idempotency-Key).",
    role: "editor",
    body: { name: "CreateChannelSubscriber", schema: createChannelSubscriberBody },
    response: { status: 201, name: "CreatedChannelSubscriber", schema: createdChannelSubscriber },
    run: ({ db, actor, body }) => createChannelSubscriber(db, actor, body),
    present: async (reader, result) => ({ ...(await readChannelSubscriber(reader, result.id)), secret: result.secret }),
    location: (body) => `/channel-subscribers/${(body as { id: string }).id}`,
  }),
  operation({
    operationId: "getChannelSubscriber",
    method: "GET",
    path: "/channel-subscribers/{id}",
    tag: "Channel subscribers",
    summary: "Read a channel subscriber, with its last error when failing or quarantined",
    role: "viewer",
    response: { status: 200, name: "ChannelSubscriber", schema: channelSubscriberResource },
    run: ({ db, params }) => readChannelSubscriber(db, params.id),
  }),
  operation({
    operationId: "deleteChannelSubscriber",
    method: "DELETE",
    path: "/channel-subscribers/{id}",
    tag: "Channel subscribers",
    summary: "Remove a channel subscriber and its deliveries",
    role: "editor",
    response: { status: 204, name: "Empty", schema: z.null() },
    run: async ({ db, actor, params }) => {
      await readChannelSubscriber(db, params.id);
      await deleteSubscriber(db, actor, { id: params.id });
      return null;
    },
  }),
  operation({
    operationId: "reenableChannelSubscriber",
    method: "POST",
    path: "/channel-subscribers/{id}/reenable",
    tag: "Channel subscribers",
    summary: "Re-enable a quarantined channel subscriber",
    role: "editor",
    response: { status: 200, name: "ChannelSubscriber", schema: channelSubscriberResource },
    run: ({ db, actor, params }) => reenableChannelSubscriber(db, actor, { id: params.id }),
    present: (reader, result) => readChannelSubscriber(reader, result.id),
  }),
  operation({
    operationId: "testChannelSubscriber",
    method: "POST",
    path: "/channel-subscribers/{id}/test",
    tag: "Channel subscribers",
    summary: "Send a test event now and answer with what the receiver said",
    role: "editor",
    response: { status: 200, name: "ChannelTestResult", schema: channelTestResult },
    run: async ({ db, actor, params }) => {
      const outcome = await sendTestMessage(db, actor, { id: params.id });
      return outcome.ok
        ? { ok: true, status: outcome.status, message: null, excerpt: outcome.excerpt || null }
        : { ok: false, status: Number(/^HTTP (\d{3})/.exec(outcome.message)?.[1]) || null, message: outcome.message, excerpt: outcome.excerpt };
    },
  }),
];

export type OperationId =
  | "listIncidents"
  | "createIncident"
  | "getIncident"
  | "postIncidentUpdate"
  | "listComponents"
  | "getComponent"
  | "changeComponentStatus"
  | "listMaintenance"
  | "createMaintenance"
  | "getMaintenance"
  | "listMetrics"
  | "createMetric"
  | "getMetric"
  | "editMetric"
  | "addMetricPoints"
  | "getMetricSeries"
  | "listChannelSubscribers"
  | "createChannelSubscriber"
  | "getChannelSubscriber"
  | "deleteChannelSubscriber"
  | "reenableChannelSubscriber"
  | "testChannelSubscriber"
  | "setIncidentMilestones"
  | "getReliabilityReport";

import { z } from "zod";
import { postmortemDraftBody, postmortemPublishBody } from "./postmortems.ts";
import { batchBody, embedConfigBody, embedConfigObject, metricBody, metricObject, pointAnswer, singleBody } from "./metrics.ts";
import { incidentQuery, listQuery } from "./reads.ts";
import { componentBody, groupBody, incidentBody, incidentUpdateBody, pageBody } from "./schemas.ts";
import { bulkUnsubscribeBody, subscriberBody, subscriberListQuery, subscriberPatchBody } from "./subscribers.ts";
import { templateBody, templateListQuery } from "./templates.ts";
import { uptimeQuery } from "./uptime.ts";
import {
  componentObject,
  errorBody,
  groupObject,
  incidentObject,
  pageObject,
  postmortemObject,
  subscriberObject,
  templateObject,
  updateObject,
  uptimeObject,
} from "./objects.ts";
import { STATUSPAGE_V1_BASE } from "./handler.ts";

/*
 * The Statuspage v1-compatible endpoints for Candor's OpenAPI document:
 * one row per method and path, naming the same zod schemas the handler
 * parses bodies and queries with and the tests hold answers to.
 */

type Named = readonly [name: string, schema: z.ZodType];

interface V1Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** Below /pages/{page_id}. */
  path: string;
  summary: string;
  scope: "read" | "write";
  query?: z.ZodObject;
  body?: Named;
  /** null: an empty answer. A list answers an array of the object. */
  response: { status: 200 | 201 | 202 | 204; object: Named | null; list?: boolean };
}

const PAGE = ["StatuspagePage", pageObject] as const;
const INCIDENT = ["StatuspageIncident", incidentObject] as const;
const COMPONENT = ["StatuspageComponent", componentObject] as const;
const GROUP = ["StatuspageComponentGroup", groupObject] as const;
const POSTMORTEM = ["StatuspagePostmortem", postmortemObject] as const;
const SUBSCRIBER = ["StatuspageSubscriber", subscriberObject] as const;
const TEMPLATE = ["StatuspageIncidentTemplate", templateObject] as const;
const INCIDENT_BODY = ["StatuspageIncidentBody", incidentBody] as const;
const COMPONENT_BODY = ["StatuspageComponentBody", componentBody] as const;
const GROUP_BODY = ["StatuspageComponentGroupBody", groupBody] as const;

const ok = (object: Named, list = false) => ({ status: 200 as const, object, list });
const read = (path: string, summary: string, object: Named, query?: z.ZodObject, list = false): V1Operation => ({
  method: "get",
  path,
  summary,
  scope: "read",
  query,
  response: ok(object, list),
});
const updates = (path: string, summary: string, body: Named, object: Named): V1Operation[] =>
  (["patch", "put"] as const).map((method) => ({ method, path, summary, scope: "write", body, response: ok(object) }));

export const statuspageV1Operations: V1Operation[] = [
  read("", "Get the page", PAGE),
  ...updates("", "Update the page's settings (needs a key with the owner scope)", ["StatuspagePageBody", pageBody], PAGE),
  read("/incidents", "List incidents and maintenance, newest first", INCIDENT, incidentQuery, true),
  { method: "post", path: "/incidents", summary: "Create an incident, or scheduled maintenance (with scheduled_for)", scope: "write", body: INCIDENT_BODY, response: { status: 201, object: INCIDENT } },
  ...["unresolved", "upcoming", "scheduled", "active_maintenance"].map((name) => read(`/incidents/${name}`, `List ${name.replace("_", " ")} incidents`, INCIDENT, listQuery, true)),
  read("/incidents/{incident_id}", "Get an incident", INCIDENT),
  ...updates("/incidents/{incident_id}", "Post the next update (status, body, components), or change the details", INCIDENT_BODY, INCIDENT),
  { method: "delete", path: "/incidents/{incident_id}", summary: "Delete an incident (answers it as it was)", scope: "write", response: ok(INCIDENT) },
  ...updates("/incidents/{incident_id}/incident_updates/{incident_update_id}", "Correct an update's text, silently", ["StatuspageIncidentUpdateBody", incidentUpdateBody], ["StatuspageIncidentUpdate", updateObject]),
  read("/incidents/{incident_id}/postmortem", "Get the postmortem", POSTMORTEM),
  { method: "put", path: "/incidents/{incident_id}/postmortem", summary: "Save the postmortem draft", scope: "write", body: ["StatuspagePostmortemBody", postmortemDraftBody], response: ok(POSTMORTEM) },
  { method: "delete", path: "/incidents/{incident_id}/postmortem", summary: "Discard the postmortem draft", scope: "write", response: { status: 204, object: null } },
  { method: "put", path: "/incidents/{incident_id}/postmortem/publish", summary: "Publish the draft", scope: "write", body: ["StatuspagePostmortemPublishBody", postmortemPublishBody], response: ok(POSTMORTEM) },
  { method: "put", path: "/incidents/{incident_id}/postmortem/revert", summary: "Take the published postmortem back to draft", scope: "write", response: ok(POSTMORTEM) },
  read("/components", "List components in page order", COMPONENT, listQuery, true),
  { method: "post", path: "/components", summary: "Create a component", scope: "write", body: COMPONENT_BODY, response: { status: 201, object: COMPONENT } },
  read("/components/{component_id}", "Get a component", COMPONENT),
  ...updates("/components/{component_id}", "Update a component (component[status] flips its status)", COMPONENT_BODY, COMPONENT),
  { method: "delete", path: "/components/{component_id}", summary: "Delete (archive) a component", scope: "write", response: { status: 204, object: null } },
  read("/components/{component_id}/uptime", "A component's uptime over a range of days", ["StatuspageComponentUptime", uptimeObject], uptimeQuery),
  read("/component-groups", "List component groups", GROUP, listQuery, true),
  { method: "post", path: "/component-groups", summary: "Create a component group", scope: "write", body: GROUP_BODY, response: { status: 201, object: GROUP } },
  read("/component-groups/{id}", "Get a component group", GROUP),
  ...updates("/component-groups/{id}", "Update a component group (components lists its members)", GROUP_BODY, GROUP),
  { method: "delete", path: "/component-groups/{id}", summary: "Delete a group (its components stay, ungrouped)", scope: "write", response: ok(GROUP) },
  read("/incident_templates", "List incident and maintenance templates", TEMPLATE, templateListQuery, true),
  { method: "post", path: "/incident_templates", summary: "Create a template", scope: "write", body: ["StatuspageIncidentTemplateBody", templateBody], response: { status: 201, object: TEMPLATE } },
  read("/subscribers", "List email subscribers (state, type, q; 0-based page)", SUBSCRIBER, subscriberListQuery, true),
  { method: "post", path: "/subscribers", summary: "Add an email subscriber (unconfirmed until they confirm by email)", scope: "write", body: ["StatuspageSubscriberBody", subscriberBody], response: { status: 201, object: SUBSCRIBER } },
  read("/subscribers/{subscriber_id}", "Get a subscriber", SUBSCRIBER),
  { method: "patch", path: "/subscribers/{subscriber_id}", summary: "Change a subscriber's components", scope: "write", body: ["StatuspageSubscriberPatchBody", subscriberPatchBody], response: ok(SUBSCRIBER) },
  { method: "delete", path: "/subscribers/{subscriber_id}", summary: "Unsubscribe a subscriber", scope: "write", response: ok(SUBSCRIBER) },
  read("/metrics", "List system metrics", ["StatuspageMetric", metricObject], undefined, true),
  read("/metrics/{metric_id}", "Get a system metric", ["StatuspageMetric", metricObject]),
  ...updates("/metrics/{metric_id}", "Change a metric's name, unit, axis or visibility", ["StatuspageMetricBody", metricBody], ["StatuspageMetric", metricObject]),
  { method: "delete", path: "/metrics/{metric_id}", summary: "Delete a metric and its points", scope: "write", response: ok(["StatuspageMetric", metricObject]) },
  { method: "post", path: "/metrics/{metric_id}/data", summary: "Add a data point (timestamp in epoch seconds, at most 28 days old)", scope: "write", body: ["StatuspageMetricPointBody", singleBody], response: { status: 201, object: ["StatuspageMetricPoint", pointAnswer] } },
  { method: "post", path: "/metrics/data", summary: "Add points to several metrics at once (all or nothing)", scope: "write", body: ["StatuspageMetricPointsBody", batchBody], response: { status: 202, object: null } },
  read("/status_embed_config", "Get the embed's settings", ["StatuspageStatusEmbedConfig", embedConfigObject]),
  ...updates("/status_embed_config", "Change the embed's settings (needs a key with the owner scope)", ["StatuspageStatusEmbedConfigBody", embedConfigBody], ["StatuspageStatusEmbedConfig", embedConfigObject]),
  { method: "post", path: "/subscribers/unsubscribe", summary: "Unsubscribe a list of subscribers (ids, or all of a state when fewer than 100)", scope: "write", body: ["StatuspageBulkUnsubscribeBody", bulkUnsubscribeBody], response: { status: 201, object: null } },
];

/** Named request and response schemas, and the path items (each with Statuspage's base as its server). */
export function statuspageV1Document() {
  const requests = new Map<string, z.ZodType>();
  const responses = new Map<string, z.ZodType>([["StatuspageError", errorBody]]);
  const paths: Record<string, Record<string, unknown>> = {};
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const error = (description: string) => ({ description, content: { "application/json": { schema: ref("StatuspageError") } } });
  for (const op of statuspageV1Operations) {
    if (op.body) requests.set(op.body[0], op.body[1]);
    if (op.response.object) responses.set(op.response.object[0], op.response.object[1]);
    const path = `/pages/{page_id}${op.path}`;
    const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } }));
    for (const [name, field] of Object.entries(op.query?.shape ?? {})) {
      const { $schema: _, ...schema } = z.toJSONSchema(field as z.ZodType, { io: "input", unrepresentable: "any" });
      parameters.push({ name, in: "query", required: false, schema });
    }
    const answer = op.response.object;
    const schema = answer && (op.response.list ? { type: "array", items: ref(answer[0]) } : ref(answer[0]));
    paths[path] ??= { servers: [{ url: STATUSPAGE_V1_BASE, description: "Statuspage v1-compatible" }] };
    paths[path][op.method] = {
      operationId: `statuspage_${op.method}_${path.replace(/[{}]/g, "").replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "")}`,
      tags: ["Statuspage v1"],
      summary: op.summary,
      security: [{ statuspageOAuth: [] }, { apiKey: [] }, { statuspageApiKey: [] }],
      "x-required-scope": op.scope,
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: false,
              content: { "application/json": { schema: ref(op.body[0]) }, "application/x-www-form-urlencoded": { schema: ref(op.body[0]) } },
            },
          }
        : {}),
      responses: {
        [op.response.status]: schema ? { description: "OK", content: { "application/json": { schema } } } : { description: "No content" },
        400: error("A malformed body or query parameter."),
        401: error("No API key, an unknown key, or a revoked key."),
        403: error("The key's scope (or role) does not allow this."),
        404: error("No such page, object or endpoint."),
        ...(op.scope === "write" ? { 422: error("The body failed validation: the message names each field; nothing was written.") } : {}),
        429: error("The key is over its rate: retry after Retry-After seconds."),
      },
    };
  }
  return { requests, responses, paths };
}

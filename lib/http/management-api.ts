import { z } from "zod";
import { database, databaseUnavailable, type Db, type Tx } from "#db/client.ts";
import type { IncidentRow } from "#db/schema.ts";
import { can, type Actor, type Role } from "#lib/domain/actors.ts";
import { actorFromRequest, UnauthorizedError } from "#lib/domain/api-keys.ts";
import { affectedComponents, changeComponentStatus, componentStatusSchema, listComponents, statusChangeInput } from "#lib/domain/components.ts";
import { ConflictError, expectedError, ForbiddenError, InputError, NotFoundError, type FieldIssue } from "#lib/core/errors.ts";
import { dateTimeField } from "#lib/core/forms.ts";
import { idempotencyKeySchema, idempotentWrite, requestHash, type IdempotentRequest } from "./idempotency.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { declareIncident, declareInput, postUpdate, updateInput } from "#lib/domain/incidents.ts";
import { scheduleInput, scheduleMaintenance } from "#lib/domain/maintenance.ts";
import { IMPACTS, INCIDENT_STATUSES, MAINTENANCE_STATUSES, SEVERITIES, UPDATE_STATUSES } from "#lib/core/statuses.ts";

/*
 * The management API, /api/v1: the zod schema of every request and
 * response, the operations behind the route handlers, and the OpenAPI 3.1
 * document generated from the same schemas, so the document cannot drift
 * from what the handlers accept. Request bodies are the domain's own input
 * schemas; route files only name an operation.
 */

export const API_BASE = "/api/v1";

// ---------------------------------------------------------------- requests

export const createIncidentBody = declareInput;
// The incidents route takes incident statuses only (maintenance moves by its own schedule).
export const postUpdateBody = updateInput
  .omit({ incidentId: true })
  .extend({ status: z.enum(INCIDENT_STATUSES).exclude(["postmortem"]) });
export const changeComponentBody = statusChangeInput.omit({ componentId: true });
export const createMaintenanceBody = scheduleInput;

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

export const incidentListQuery = z.object({
  status: z
    .enum([...INCIDENT_STATUSES, "open"], { error: `must be one of open, ${INCIDENT_STATUSES.join(", ")}` })
    .optional()
    .meta({ description: "`open` lists unresolved incidents; a lifecycle status lists incidents in it." }),
  limit,
  offset,
});

export const maintenanceListQuery = z.object({
  status: z
    .enum([...MAINTENANCE_STATUSES, "open"], { error: `must be one of open, ${MAINTENANCE_STATUSES.join(", ")}` })
    .optional()
    .meta({ description: "`open` lists maintenance not yet completed." }),
  limit,
  offset,
});

const noQuery = z.object({});

// --------------------------------------------------------------- responses

const id = z.string().regex(PUBLIC_ID);
const dateTime = z.iso.datetime();

export const componentResource = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  groupId: id.nullable(),
  position: z.number().int(),
  status: componentStatusSchema,
  showcase: z.boolean(),
  onlyShowIfDegraded: z.boolean(),
  startDate: z.iso.date().nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

const componentChange = z.object({
  componentId: id,
  name: z.string(),
  oldStatus: componentStatusSchema,
  newStatus: componentStatusSchema,
});

export const updateResource = z.object({
  id,
  incidentId: id,
  status: z.enum(UPDATE_STATUSES),
  body: z.string().meta({ description: "Markdown." }),
  displayAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  notify: z.boolean(),
  createdBy: z.string(),
  components: z.array(componentChange),
});

const affectedComponent = z.object({ id, name: z.string() });

export const incidentSummary = z.object({
  id,
  reference: z.string().meta({ description: "Human reference, e.g. INC-2026-0042." }),
  name: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  severity: z.enum(SEVERITIES),
  impact: z.enum(IMPACTS),
  startedAt: dateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  identifiedAt: dateTime.nullable(),
  monitoringAt: dateTime.nullable(),
  resolvedAt: dateTime.nullable(),
  nextUpdateDueAt: dateTime.nullable(),
  backfilled: z.boolean(),
  postmortem: z.object({ body: z.string(), publishedAt: dateTime }).nullable(),
  components: z.array(affectedComponent),
});

export const incidentResource = incidentSummary.extend({
  updates: z.array(updateResource).meta({ description: "The timeline, newest first." }),
});

export const maintenanceSummary = z.object({
  id,
  reference: z.string().meta({ description: "Human reference, e.g. MNT-2026-0007." }),
  name: z.string(),
  status: z.enum(MAINTENANCE_STATUSES),
  impact: z.enum([...IMPACTS, "maintenance"]),
  scheduledFor: dateTime,
  scheduledUntil: dateTime,
  autoTransition: z.boolean(),
  remindPrior: z.boolean(),
  cancelledAt: dateTime.nullable(),
  completedAt: dateTime.nullable(),
  createdAt: dateTime,
  updatedAt: dateTime,
  components: z.array(affectedComponent),
});

export const maintenanceResource = maintenanceSummary.extend({
  updates: z.array(updateResource).meta({ description: "The timeline, newest first." }),
});

const pagination = z.object({
  limit: z.number().int(),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().meta({ description: "Offset of the next page; null on the last page." }),
});

export const incidentList = z.object({ data: z.array(incidentSummary), pagination });
export const maintenanceList = z.object({ data: z.array(maintenanceSummary), pagination });
export const componentList = z.object({ data: z.array(componentResource) });

export const apiErrorBody = z.object({
  error: z.object({
    message: z.string(),
    issues: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .meta({ description: "One entry per failing field (dotted path, or a header name); empty otherwise." }),
  }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBody>;

// ---------------------------------------------------------------- reading

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

async function timeline(reader: Db | Tx, incidentId: string): Promise<z.infer<typeof updateResource>[]> {
  const updates = await reader
    .selectFrom("incident_updates")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("display_at", "desc")
    .orderBy("created_at", "desc")
    .execute();
  const changes = updates.length
    ? await reader
        .selectFrom("update_component_changes")
        .innerJoin("components", "components.id", "update_component_changes.component_id")
        .select([
          "update_component_changes.update_id",
          "update_component_changes.component_id",
          "components.name",
          "update_component_changes.old_status",
          "update_component_changes.new_status",
        ])
        .where(
          "update_component_changes.update_id",
          "in",
          updates.map((u) => u.id),
        )
        .orderBy("components.position")
        .execute()
    : [];
  return updates.map((u) => ({
    id: u.id,
    incidentId: u.incident_id,
    status: u.status,
    body: u.body,
    displayAt: iso(u.display_at),
    createdAt: iso(u.created_at),
    updatedAt: iso(u.updated_at),
    notify: u.notify,
    createdBy: u.created_by,
    components: changes
      .filter((c) => c.update_id === u.id)
      .map((c) => ({ componentId: c.component_id, name: c.name, oldStatus: c.old_status, newStatus: c.new_status })),
  }));
}

function incidentFields(row: IncidentRow, components: { id: string; name: string }[]): z.infer<typeof incidentSummary> {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    status: row.status as z.infer<typeof incidentSummary>["status"],
    severity: row.severity!,
    impact: row.impact as z.infer<typeof incidentSummary>["impact"],
    startedAt: iso(row.started_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    identifiedAt: isoOrNull(row.identified_at),
    monitoringAt: isoOrNull(row.monitoring_at),
    resolvedAt: isoOrNull(row.resolved_at),
    nextUpdateDueAt: isoOrNull(row.next_update_due_at),
    backfilled: row.backfilled,
    postmortem:
      row.postmortem_body && row.postmortem_published_at
        ? { body: row.postmortem_body, publishedAt: iso(row.postmortem_published_at) }
        : null,
    components,
  };
}

function maintenanceFields(row: IncidentRow, components: { id: string; name: string }[]): z.infer<typeof maintenanceSummary> {
  return {
    id: row.id,
    reference: row.reference,
    name: row.name,
    status: row.status as z.infer<typeof maintenanceSummary>["status"],
    impact: row.impact,
    scheduledFor: iso(row.scheduled_for!),
    scheduledUntil: iso(row.scheduled_until!),
    autoTransition: row.scheduled_auto_transition,
    remindPrior: row.scheduled_remind_prior,
    cancelledAt: isoOrNull(row.cancelled_at),
    completedAt: isoOrNull(row.resolved_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    components,
  };
}

async function requireKind(reader: Db | Tx, incidentId: string, kind: "incident" | "maintenance") {
  const row = PUBLIC_ID.test(incidentId)
    ? await reader.selectFrom("incidents").selectAll().where("id", "=", incidentId).where("kind", "=", kind).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError(kind);
  return row;
}

export async function readIncident(reader: Db | Tx, incidentId: string): Promise<z.infer<typeof incidentResource>> {
  const row = await requireKind(reader, incidentId, "incident");
  const components = await affectedComponents(reader, [row.id]);
  return { ...incidentFields(row, components.get(row.id) ?? []), updates: await timeline(reader, row.id) };
}

export async function readMaintenance(reader: Db | Tx, maintenanceId: string): Promise<z.infer<typeof maintenanceResource>> {
  const row = await requireKind(reader, maintenanceId, "maintenance");
  const components = await affectedComponents(reader, [row.id]);
  return { ...maintenanceFields(row, components.get(row.id) ?? []), updates: await timeline(reader, row.id) };
}

const closedStatuses = { incident: ["resolved", "postmortem"], maintenance: ["completed"] } as const;

async function listOfKind(
  reader: Db,
  kind: "incident" | "maintenance",
  query: { status?: string; limit: number; offset: number },
) {
  let select = reader.selectFrom("incidents").selectAll().where("kind", "=", kind);
  if (query.status === "open") select = select.where("status", "not in", [...closedStatuses[kind]]);
  else if (query.status) select = select.where("status", "=", query.status as IncidentRow["status"]);
  const rows = await select
    .orderBy(kind === "incident" ? "started_at" : "scheduled_for", "desc")
    .orderBy("id")
    .limit(query.limit + 1)
    .offset(query.offset)
    .execute();
  const page = rows.slice(0, query.limit);
  const components = await affectedComponents(
    reader,
    page.map((r) => r.id),
  );
  return {
    rows: page.map((row) => ({ row, components: components.get(row.id) ?? [] })),
    pagination: {
      limit: query.limit,
      offset: query.offset,
      nextOffset: rows.length > query.limit ? query.offset + query.limit : null,
    },
  };
}

async function readComponents(reader: Db | Tx): Promise<z.infer<typeof componentResource>[]> {
  return (await listComponents(reader)).map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    groupId: c.group_id,
    position: c.position,
    status: c.status,
    showcase: c.showcase,
    onlyShowIfDegraded: c.only_show_if_degraded,
    startDate: c.start_date,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  }));
}

async function readComponent(reader: Db | Tx, componentId: string) {
  const component = (await readComponents(reader)).find((c) => c.id === componentId);
  if (!component) throw new NotFoundError("component");
  return component;
}

// -------------------------------------------------------------- operations

type Method = "GET" | "POST" | "PATCH";

interface Context<Q, B> {
  db: Db;
  actor: Actor;
  params: { id: string };
  query: Q;
  body: B;
}

interface Operation<Q extends z.ZodType, B extends z.ZodType, T> {
  operationId: string;
  method: Method;
  /** OpenAPI path template under /api/v1. */
  path: string;
  tag: "Incidents" | "Components" | "Maintenance";
  summary: string;
  description?: string;
  role: Role;
  query?: Q;
  body?: { name: string; schema: B };
  /** Creates honour the Idempotency-Key header. */
  idempotent?: boolean;
  response: { status: 200 | 201; name: string; schema: z.ZodType };
  /** For writes: the domain call. For reads: the response body. */
  run(ctx: Context<z.output<Q>, z.output<B>>): Promise<T>;
  /** For writes: the response body, built inside the write's transaction. */
  present?(reader: Db | Tx, result: T): Promise<unknown>;
  /** For creates: where the new resource lives. */
  location?(body: unknown): string;
}

function operation<Q extends z.ZodType = typeof noQuery, B extends z.ZodType = z.ZodUnknown, T = unknown>(
  spec: Operation<Q, B, T>,
): Operation<Q, B, T> {
  return spec;
}

const idOf = (body: unknown) => (body as { id: string }).id;

export const operations = [
  operation({
    operationId: "listIncidents",
    method: "GET",
    path: "/incidents",
    tag: "Incidents",
    summary: "List incidents, newest first",
    role: "viewer",
    query: incidentListQuery,
    response: { status: 200, name: "IncidentList", schema: incidentList },
    async run({ db, query }) {
      const { rows, pagination } = await listOfKind(db, "incident", query);
      return { data: rows.map(({ row, components }) => incidentFields(row, components)), pagination };
    },
  }),
  operation({
    operationId: "createIncident",
    method: "POST",
    path: "/incidents",
    tag: "Incidents",
    summary: "Declare an incident",
    description:
      "Declares an incident with its first update. `body` must have no unfilled `{{placeholders}}`. Subscribers are notified unless `notify` is false.",
    role: "editor",
    body: { name: "CreateIncident", schema: createIncidentBody },
    idempotent: true,
    response: { status: 201, name: "Incident", schema: incidentResource },
    run: ({ db, actor, body }) => declareIncident(db, actor, body),
    present: (reader, result) => readIncident(reader, result.incident.id),
    location: (body) => `/incidents/${idOf(body)}`,
  }),
  operation({
    operationId: "getIncident",
    method: "GET",
    path: "/incidents/{id}",
    tag: "Incidents",
    summary: "Read an incident with its timeline",
    role: "viewer",
    response: { status: 200, name: "Incident", schema: incidentResource },
    run: ({ db, params }) => readIncident(db, params.id),
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
    present: async (reader, result) => (await timeline(reader, result.incident.id)).find((u) => u.id === result.update.id),
    location: (body) => `/incidents/${(body as { incidentId: string }).incidentId}`,
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
      if (!PUBLIC_ID.test(params.id)) throw new NotFoundError("component");
      return changeComponentStatus(db, actor, { ...body, componentId: params.id });
    },
    present: (reader, result) => readComponent(reader, result.componentId),
  }),
  operation({
    operationId: "listMaintenance",
    method: "GET",
    path: "/maintenance",
    tag: "Maintenance",
    summary: "List maintenance, latest window first",
    role: "viewer",
    query: maintenanceListQuery,
    response: { status: 200, name: "MaintenanceList", schema: maintenanceList },
    async run({ db, query }) {
      const { rows, pagination } = await listOfKind(db, "maintenance", query);
      return { data: rows.map(({ row, components }) => maintenanceFields(row, components)), pagination };
    },
  }),
  operation({
    operationId: "createMaintenance",
    method: "POST",
    path: "/maintenance",
    tag: "Maintenance",
    summary: "Schedule maintenance",
    description:
      "Schedules a window. With `autoTransition` (the default) it moves to in progress at `scheduledFor` and to completed at `scheduledUntil` by itself.",
    role: "editor",
    body: { name: "CreateMaintenance", schema: createMaintenanceBody },
    idempotent: true,
    response: { status: 201, name: "Maintenance", schema: maintenanceResource },
    run: ({ db, actor, body }) => scheduleMaintenance(db, actor, body),
    present: (reader, result) => readMaintenance(reader, result.maintenance.id),
    location: (body) => `/maintenance/${idOf(body)}`,
  }),
  operation({
    operationId: "getMaintenance",
    method: "GET",
    path: "/maintenance/{id}",
    tag: "Maintenance",
    summary: "Read a maintenance with its timeline",
    role: "viewer",
    response: { status: 200, name: "Maintenance", schema: maintenanceResource },
    run: ({ db, params }) => readMaintenance(db, params.id),
  }),
] as Operation<z.ZodType, z.ZodType, unknown>[];

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
  | "getMaintenance";

// ------------------------------------------------------------------- HTTP

/** Errors the API answers with a status of its own choosing (malformed JSON, bad query). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const NO_STORE = { "Cache-Control": "no-store" };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

function errorBody(message: string, issues: FieldIssue[] = []): ApiErrorBody {
  return { error: { message, issues } };
}

export function errorResponse(caught: unknown): Response {
  const error = expectedError(caught);
  if (error instanceof ApiError) return json(error.status, errorBody(error.message, error.issues));
  if (error instanceof UnauthorizedError) {
    return json(401, errorBody(error.message), { "WWW-Authenticate": 'Bearer realm="candor"' });
  }
  if (error instanceof ForbiddenError) return json(403, errorBody(error.message));
  if (error instanceof NotFoundError) return json(404, errorBody(error.message));
  if (error instanceof ConflictError) return json(409, errorBody(error.message));
  if (error instanceof InputError) return json(422, errorBody("the request is invalid", error.issues));
  if (databaseUnavailable(error)) {
    console.error("[api/v1] database unavailable:", (error as Error).message);
    return json(503, errorBody("the database is unavailable; try again shortly"), { "Retry-After": "5" });
  }
  console.error("[api/v1]", error);
  return json(500, errorBody("internal error"));
}

function issuesOf(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((i) => ({ field: prefix + i.path.join("."), message: i.message }));
}

// Far above any valid body (an update's text is at most 20,000 characters), far below trouble.
const MAX_BODY_BYTES = 1_000_000;
// Valid bodies nest three levels (components[0].id); deep nesting only exists to break recursive code.
const MAX_BODY_DEPTH = 16;

async function readJson(request: Request): Promise<unknown> {
  const tooLarge = new ApiError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge;
  // Read with a cap: a chunked body has no Content-Length to check first.
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw tooLarge;
    chunks.push(chunk);
  }
  let text: string;
  try {
    // Bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError(400, "the request body is not valid UTF-8");
  }
  if (!text.trim()) throw new ApiError(400, "the request body must be a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, "the request body is not valid JSON");
  }
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) throw new ApiError(400, `the request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  return body;
}

function nestedDeeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (levels === 0) return true;
  return Object.values(value).some((inner) => nestedDeeperThan(inner, levels - 1));
}

function idempotencyOf(request: Request, actor: Actor, path: string, body: unknown): IdempotentRequest | null {
  const header = request.headers.get("idempotency-key");
  if (header === null) return null;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw new ApiError(400, "invalid Idempotency-Key header", issuesOf(key.error, "Idempotency-Key"));
  return { apiKeyId: actor.id, key: key.data, requestHash: requestHash(request.method, path, body) };
}

/**
 * Runs one operation for a route handler: authenticate the key, check its
 * role, parse query and body with zod, then read or write. Every answer is
 * JSON with `Cache-Control: no-store`.
 */
export async function handle(operationId: OperationId, request: Request, params: { id?: string } = {}): Promise<Response> {
  const op = operations.find((o) => o.operationId === operationId);
  if (!op) throw new Error(`unknown operation ${operationId}`);
  // Reading the request first, outside the try, lets `next build` stop prerendering here, before any database is opened.
  const url = new URL(request.url);
  try {
    const { db } = await database();
    const actor = await actorFromRequest(db, request);
    if (!can(actor, op.role)) throw new ForbiddenError("this needs a key with the write scope");
    const query = (op.query ?? noQuery).safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw new ApiError(400, "invalid query parameters", issuesOf(query.error));
    const ctx = { db, actor, params: { id: params.id ?? "" }, query: query.data, body: undefined as unknown };
    if (op.method === "GET") return json(200, await op.run(ctx));

    const raw = await readJson(request);
    const body = op.body!.schema.safeParse(raw);
    if (!body.success) throw new InputError(issuesOf(body.error));
    const idempotency = op.idempotent ? idempotencyOf(request, actor, url.pathname, raw) : null;
    const result = await idempotentWrite(
      db,
      idempotency,
      (writer) => op.run({ ...ctx, db: writer, body: body.data }),
      async (reader, written) => ({
        status: op.response.status,
        body: op.present ? await op.present(reader, written) : written,
      }),
    );
    const headers: Record<string, string> = {};
    if (op.location) headers.Location = new URL(API_BASE + op.location(result.body), url).href;
    if (idempotency) headers["Idempotent-Replayed"] = String(result.replayed);
    return json(result.status, result.body, headers);
  } catch (error) {
    return errorResponse(error);
  }
}

// ----------------------------------------------------------------- OpenAPI

function toSchemas(named: Map<string, z.ZodType>, io: "input" | "output") {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of named) if (!registry.has(schema)) registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (name) => `#/components/schemas/${name}`,
    // Dates are sent as RFC 3339 strings (the domain coerces them); nothing else may be unrepresentable.
    unrepresentable: ({ zodSchema }) =>
      zodSchema._zod.def.type === "date" ? { type: "string", format: "date-time" } : "throw",
    // The shared date-time field takes a Date too (for callers in code); over HTTP it is a string.
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema !== dateTimeField) return;
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key as keyof typeof jsonSchema];
      Object.assign(jsonSchema, { type: "string", format: "date-time" });
    },
  });
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return schemas;
}

function parameterSchema(schema: z.ZodType) {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input" });
  return rest;
}

const errorResponses = {
  BadRequest: [400, "Malformed JSON, a bad query parameter or a bad Idempotency-Key header."],
  Unauthorized: [401, "No API key, an unknown key, or a revoked key."],
  Forbidden: [403, "The key's scope does not allow this (a read key on a write)."],
  NotFound: [404, "No such resource."],
  PayloadTooLarge: [413, "The request body is larger than 1 MB."],
  Conflict: [409, "The write conflicts with another that the server could not resolve; retry later."],
  Unprocessable: [422, "The body failed validation (each failing field is named) or the Idempotency-Key was used for a different request."],
  ServiceUnavailable: [503, "The database cannot be reached right now. Retry after Retry-After seconds (with the same Idempotency-Key a retry never writes twice)."],
} as const;

function errorsFor(op: Operation<z.ZodType, z.ZodType, unknown>): (keyof typeof errorResponses)[] {
  const list: (keyof typeof errorResponses)[] = ["Unauthorized", "Forbidden"];
  if (op.query || op.idempotent || op.method !== "GET") list.unshift("BadRequest");
  if (op.path.includes("{id}")) list.push("NotFound");
  if (op.idempotent) list.push("Conflict");
  if (op.method !== "GET") list.push("PayloadTooLarge", "Unprocessable");
  list.push("ServiceUnavailable");
  return list;
}

let cachedDocument: Record<string, unknown> | null = null;

/** The OpenAPI 3.1 document of /api/v1, generated from the operations and their zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  if (cachedDocument) return cachedDocument;
  const requests = new Map<string, z.ZodType>();
  const responses = new Map<string, z.ZodType>([["Error", apiErrorBody]]);
  for (const op of operations) {
    if (op.body) requests.set(op.body.name, op.body.schema);
    responses.set(op.response.name, op.response.schema);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    if (op.path.includes("{id}")) {
      parameters.push({ name: "id", in: "path", required: true, schema: { type: "string", pattern: PUBLIC_ID.source } });
    }
    if (op.query instanceof z.ZodObject) {
      for (const [name, field] of Object.entries(op.query.shape as Record<string, z.ZodType>)) {
        const schema = parameterSchema(field);
        parameters.push({ name, in: "query", required: false, description: schema.description, schema });
      }
    }
    if (op.idempotent) {
      parameters.push({
        name: "Idempotency-Key",
        in: "header",
        required: false,
        description:
          "Makes the create safe to retry: the same key with the same body within 24 h returns the first response without a second write; with a different body, 422.",
        schema: parameterSchema(idempotencyKeySchema),
      });
    }
    paths[op.path] ??= {};
    paths[op.path][op.method.toLowerCase()] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: [{ apiKey: [] }],
      "x-required-scope": op.role === "viewer" ? "read" : "write",
      ...(parameters.length ? { parameters } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: `#/components/schemas/${op.body.name}` } } },
            },
          }
        : {}),
      responses: {
        [op.response.status]: {
          description: op.response.status === 201 ? "Created" : "OK",
          content: { "application/json": { schema: { $ref: `#/components/schemas/${op.response.name}` } } },
        },
        ...Object.fromEntries(
          errorsFor(op).map((name) => [errorResponses[name][0], { $ref: `#/components/responses/${name}` }]),
        ),
      },
    };
  }
  paths["/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      tags: ["Meta"],
      summary: "This document",
      security: [],
      responses: { 200: { description: "The OpenAPI 3.1 document", content: { "application/json": {} } } },
    },
  };
  cachedDocument = {
    openapi: "3.1.0",
    info: {
      title: "Candor management API",
      version: "1",
      description:
        "Declare and update incidents, change component statuses and schedule maintenance from alerting tools and scripts. Authenticate with an API key created by an owner in the admin area: `Authorization: Bearer <key>`. Read keys may only read; write keys may also write.",
    },
    servers: [{ url: API_BASE }],
    tags: [{ name: "Incidents" }, { name: "Components" }, { name: "Maintenance" }, { name: "Meta" }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key (`candor_…`)." } },
      schemas: { ...toSchemas(requests, "input"), ...toSchemas(responses, "output") },
      responses: Object.fromEntries(
        Object.entries(errorResponses).map(([name, [, description]]) => [
          name,
          { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        ]),
      ),
    },
  };
  return cachedDocument;
}

/** The document with the server URL the client reached, so tools that load it by URL can call the API. */
export function openApiResponse(request: Request): Response {
  return json(200, { ...openApiDocument(), servers: [{ url: new URL(API_BASE, request.url).href }] });
}

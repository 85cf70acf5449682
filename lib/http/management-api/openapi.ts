import { z } from "zod";
import { dateTimeField } from "#lib/core/forms.ts";
import { PUBLIC_ID } from "#lib/core/ids.ts";
import { idempotencyKeySchema } from "#lib/http/idempotency.ts";
import { apiErrorBody } from "#lib/http/error-responses.ts";
import { noStoreJson } from "#lib/http/responses.ts";
import { statuspageV1Document } from "#lib/http/statuspage-v1/openapi.ts";
import { API_BASE, type Operation } from "./operation.ts";
import { operations } from "./operations.ts";

/*
 * The OpenAPI 3.1 document of /api/v1 and of the Statuspage v1-compatible
 * API, generated from their operation tables and zod schemas, so the
 * document cannot drift from what the handlers accept and answer.
 */

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
  // Statuspage's v1-compatible API shares the document: its paths carry their own server.
  const statuspage = statuspageV1Document();
  const requests = new Map<string, z.ZodType>(statuspage.requests);
  const responses = new Map<string, z.ZodType>([["Error", apiErrorBody], ...statuspage.responses]);
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
        [op.response.status]:
          op.response.status === 204
            ? { description: "No content" }
            : {
                description: op.response.status === 201 ? "Created" : "OK",
                content: { "application/json": { schema: { $ref: `#/components/schemas/${op.response.name}` } } },
              },
        ...Object.fromEntries(
          errorsFor(op).map((name) => [errorResponses[name][0], { $ref: `#/components/responses/${name}` }]),
        ),
      },
    };
  }
  Object.assign(paths, statuspage.paths);
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
        "Declare and update incidents, change component statuses and schedule maintenance from alerting tools and scripts. Authenticate with an API key created by an owner in the admin area: `Authorization: Bearer <key>`. Read keys may only read; write keys may also write. The paths under `/pages/{page_id}` are the Statuspage v1-compatible API, served under `/api/statuspage/v1` (each names that server): Statuspage's bodies (JSON or bracket-notation forms), objects and status codes, with `Authorization: OAuth <key>` or `?api_key=` accepted too (docs/statuspage-v1.md).",
    },
    servers: [{ url: API_BASE }],
    tags: [
      { name: "Incidents" },
      { name: "Components" },
      { name: "Maintenance" },
      { name: "Metrics" },
      { name: "Reliability" },
      { name: "Channel subscribers" },
      { name: "Statuspage v1" },
      { name: "Meta" },
    ],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An API key (`candor_…`)." },
        statuspageOAuth: { type: "apiKey", in: "header", name: "Authorization", description: "`OAuth <key>`, as Statuspage's clients send it." },
        statuspageApiKey: { type: "apiKey", in: "query", name: "api_key", description: "The key as a query parameter, as Statuspage accepts it." },
      },
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
  return noStoreJson(200, { ...openApiDocument(), servers: [{ url: new URL(API_BASE, request.url).href }] });
}

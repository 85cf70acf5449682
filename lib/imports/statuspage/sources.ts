import { z } from "zod";
import { componentObject, groupObject, incidentObject, pageObject, subscriberObject, templateObject, type StatuspageExport } from "./objects.ts";

/*
 * Reading a Statuspage page, two ways:
 * - its public API (/api/v2, no key): components and groups, the 50 most
 *   recent incidents and 50 most recent maintenances, with their updates;
 * - its management API (/v1, a key): everything the public API shows and all
 *   incidents, plus email subscribers and incident templates.
 * Requests follow no redirects, give up after 30 s, and are paced to the
 * management API's rate (1 a second), waiting out a 420 or 429.
 */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface SourceOptions {
  fetch?: Fetch;
  /** Milliseconds between management API requests (Statuspage allows one a second). */
  paceMs?: number;
  log?: (line: string) => void;
}

export class SourceError extends Error {}

const MAX_PAGES = 1000;
const TIMEOUT_MS = 30_000;

async function getJson(url: string, headers: Record<string, string>, options: SourceOptions): Promise<unknown> {
  const fetchImpl = options.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(url, { headers: { accept: "application/json", ...headers }, redirect: "manual", signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new SourceError(`could not reach ${redact(url)}: ${(error as Error).message}`);
    }
    if ((response.status === 420 || response.status === 429) && attempt < 6) {
      const wait = Math.min(60, Number(response.headers.get("retry-after")) || 2 ** attempt);
      options.log?.(`rate limited; waiting ${wait} s`);
      await new Promise((r) => setTimeout(r, wait * 1000));
      continue;
    }
    if (response.status >= 300 && response.status < 400) throw new SourceError(`${redact(url)} redirects to ${response.headers.get("location") ?? "elsewhere"}: give that address instead`);
    if (response.status === 401 || response.status === 403) throw new SourceError(`${redact(url)} refused the key (${response.status})`);
    if (!response.ok) throw new SourceError(`${redact(url)} answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new SourceError(`${redact(url)} did not answer JSON`);
    }
  }
}

/** Keys never reach a log or an error message. */
function redact(url: string): string {
  return url.replace(/([?&]api_key=)[^&]+/, "$1…");
}

function parsed<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SourceError(`${what} is not what Statuspage sends: ${issue.path.join(".") || "(top)"} ${issue.message}`);
  }
  return result.data;
}

/** The public API of a page at `url` (its own domain or <id>.statuspage.io). */
export async function readPublicApi(url: string, options: SourceOptions = {}): Promise<StatuspageExport> {
  const base = `${url.replace(/\/+$/, "")}/api/v2`;
  const get = (name: string) => getJson(`${base}/${name}.json`, {}, options);
  const [componentsJson, incidentsJson, maintenanceJson] = [await get("components"), await get("incidents"), await get("scheduled-maintenances")];
  const { page, components } = parsed(z.object({ page: pageObject, components: z.array(componentObject) }), componentsJson, "components.json");
  const { incidents } = parsed(z.object({ incidents: z.array(incidentObject) }), incidentsJson, "incidents.json");
  const { scheduled_maintenances } = parsed(z.object({ scheduled_maintenances: z.array(incidentObject) }), maintenanceJson, "scheduled-maintenances.json");
  const groups = components.filter((c) => c.group).map((g) => ({ id: g.id, name: g.name, description: g.description, position: g.position, components: g.components }));
  const unseen = ["subscribers (only the management API lists them: use --page and --key)", "incident templates (management API only)"];
  if (incidents.length >= 50) unseen.push("incidents older than the 50 most recent (the public API lists no more)");
  if (scheduled_maintenances.length >= 50) unseen.push("maintenance older than the 50 most recent");
  const byId = new Map([...incidents, ...scheduled_maintenances].map((i) => [i.id, i]));
  // Lists leave postmortems out; an incident's own (undocumented, widely used) endpoint has its text.
  for (const incident of incidents.filter((i) => i.status === "postmortem" || i.incident_updates.some((u) => u.status === "postmortem"))) {
    try {
      const one = parsed(z.object({ incident: incidentObject }), await get(`incidents/${encodeURIComponent(incident.id)}`), `incidents/${incident.id}.json`);
      byId.set(incident.id, { ...incident, postmortem_body: one.incident.postmortem_body, postmortem_published_at: one.incident.postmortem_published_at });
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      unseen.push(`the postmortem of "${incident.name}" (${error.message})`);
    }
  }
  return {
    source: `statuspage:${page.id}`,
    page,
    groups,
    components: components.filter((c) => !c.group),
    incidents: [...byId.values()],
    subscribers: null,
    templates: null,
    unseen,
  };
}

export interface ManagementApi {
  /** https://api.statuspage.io/v1, or any compatible API. */
  api: string;
  pageId: string;
  key: string;
}

/** The management API: every incident, subscriber and template too. */
export async function readManagementApi(target: ManagementApi, options: SourceOptions = {}): Promise<StatuspageExport> {
  const base = `${target.api.replace(/\/+$/, "")}/pages/${encodeURIComponent(target.pageId)}`;
  const headers = { authorization: `OAuth ${target.key}` };
  const pace = () => new Promise((r) => setTimeout(r, options.paceMs ?? 1000));
  const get = async (path: string) => {
    const body = await getJson(`${base}${path}`, headers, options);
    await pace();
    return body;
  };
  /** Every page of a list, until a short page or one that repeats the last (a server ignoring `page`). */
  async function all<T extends z.ZodType>(path: (page: number) => string, schema: T, what: string, perPage: number, firstPage: number): Promise<z.output<T>[]> {
    const out: z.output<T>[] = [];
    let previousFirst: unknown;
    for (let page = firstPage; page < firstPage + MAX_PAGES; page++) {
      const list = parsed(z.array(schema), await get(path(page)), what) as ({ id: string } & z.output<T>)[];
      if (list.length > 0 && list[0].id === previousFirst) break;
      previousFirst = list[0]?.id;
      out.push(...list);
      options.log?.(`${what}: ${out.length}`);
      if (list.length < perPage) break;
    }
    return out;
  }
  /** Subscribers and templates are optional: a key or an API without them still imports the rest. */
  async function optional<T>(read: () => Promise<T>, what: string, unseen: string[]): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      unseen.push(`${what} (${error.message})`);
      return null;
    }
  }

  const page = parsed(pageObject, await get(""), "the page");
  const components = await all((p) => `/components?page=${p}&per_page=100`, componentObject, "components", 100, 1);
  const groups = await all((p) => `/component-groups?page=${p}&per_page=100`, groupObject, "component groups", 100, 1);
  const incidents = await all((p) => `/incidents?limit=100&page=${p}`, incidentObject, "incidents", 100, 1);
  const unseen: string[] = [];
  const subscribers = await optional(() => all((p) => `/subscribers?limit=100&page=${p}`, subscriberObject, "subscribers", 100, 0), "subscribers", unseen);
  const templates = await optional(() => all((p) => `/incident_templates?page=${p}&per_page=100`, templateObject, "templates", 100, 1), "incident templates", unseen);
  const groupIds = new Set(groups.map((g) => g.id));
  return {
    source: `statuspage:${page.id}`,
    page,
    groups,
    components: components.filter((c) => !c.group && !groupIds.has(c.id)),
    incidents,
    subscribers,
    templates,
    unseen,
  };
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { extractInfoFromServerReferenceId } from "next/dist/shared/lib/server-reference-info.js";

/*
 * What Candor relies on inside Next (and the React it ships) that is not
 * Next's documented API: its client router's header names, how `next build`
 * marks its processes, the layout of a build, the server action protocol, a
 * font inside node_modules/next. test/unit/next-internals.test.ts checks each
 * against the installed Next and fails on any version but NEXT_VERSION: after
 * an upgrade, check every item below again, then move the pin.
 *
 * Loaded by server.ts (under Node's type stripping, through the microcache)
 * and by proxy.ts (Next's proxy runtime): plain values and small functions.
 */

/** The Next version everything here was checked against. */
export const NEXT_VERSION = "16.4.6";

/** The header of a server action call with JavaScript: the action's id. */
export const ACTION_HEADER = "next-action";

/**
 * Headers of Next's client router (navigation, prefetch) and of server
 * action calls (next/dist/client/components/app-router-headers): such a
 * request wants Next's own answer, not the page's HTML.
 */
export const ROUTER_REQUEST_HEADERS = [
  "rsc",
  ACTION_HEADER,
  "next-router-state-tree",
  "next-router-prefetch",
  "next-router-segment-prefetch",
] as const;

/** Marks an answer to a call that names no action: Next's client then reports the action as not found. */
export const ACTION_NOT_FOUND_HEADER = "x-nextjs-action-not-found";

/** The not-found page Next prerenders at build, answered at this path. */
export const NOT_FOUND_ROUTE = "/_not-found";

/** Next's image optimizer, a route of its own outside the routes manifest. */
export const IMAGE_OPTIMIZER_PATH = "/_next/image";

/** Where the build's static files are served from. */
export const STATIC_FILES_PATH = "/_next/static";

/** Where the build's static files lie. */
export function staticFilesDir(distDir: string): string {
  return join(distDir, "static");
}

/**
 * Whether this process is `next build` or one of its workers
 * (`next/constants` PHASE_PRODUCTION_BUILD, and what Next's worker pools
 * set): they load the app's modules but must never open the database or
 * start timers.
 */
export function duringNextBuild(): boolean {
  return (
    process.env.NEXT_PHASE === "phase-production-build" ||
    process.env.IS_NEXT_WORKER === "true" ||
    process.env.NEXT_IS_EXPORT_WORKER === "true"
  );
}

/** Geist, the font next/og ships (relative to the project directory). */
export const OG_FONT_FILE = "node_modules/next/dist/compiled/@vercel/og/Geist-Regular.ttf";

/** A route of the build, as Next matches request paths against it. */
export interface BuildRoute {
  page: string;
  regex: RegExp;
}

/** The build's routes (routes-manifest.json) in the order Next tries them: static ones, then dynamic ones. */
export function buildRoutes(distDir: string): BuildRoute[] {
  const manifest = JSON.parse(readFileSync(join(distDir, "routes-manifest.json"), "utf8")) as {
    staticRoutes: { page: string; regex: string }[];
    dynamicRoutes: { page: string; regex: string }[];
  };
  return [...manifest.staticRoutes, ...manifest.dynamicRoutes].map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
}

/** The build's server reference manifest: what Next resolves action ids with. `next dev` builds into a "dev" subfolder. */
export function serverReferenceManifestFile(distDir: string, dev: boolean): string {
  return join(distDir, dev ? "dev" : "", "server", "server-reference-manifest.json");
}

/**
 * The ids of the server actions in a server reference manifest (its text),
 * less the "use cache" functions, which Next registers as server references
 * too: both the id's type byte and the compiler's export name mark those
 * (either alone would do; both, so a change to one still leaves them out).
 * Throws on a manifest of another shape.
 */
export function serverActionIds(manifest: string): Set<string> {
  const { node, edge } = JSON.parse(manifest) as { node?: unknown; edge?: unknown };
  const references = { ...manifestSection(node, "node"), ...(edge === undefined ? {} : manifestSection(edge, "edge")) };
  const actions = Object.entries(references).filter(
    ([id, exportedName]) => extractInfoFromServerReferenceId(id).type === "server-action" && !exportedName.startsWith("$$RSC_SERVER_CACHE"),
  );
  return new Set(actions.map(([id]) => id));
}

/** A section of the manifest: each reference's compiler export name, by id. */
function manifestSection(section: unknown, name: string): Record<string, string> {
  if (typeof section !== "object" || section === null) throw new Error(`server reference manifest: no "${name}" section`);
  return Object.fromEntries(
    Object.entries(section).map(([id, reference]) => {
      const exportedName = (reference as { exportedName?: unknown } | null)?.exportedName;
      if (typeof exportedName !== "string") throw new Error(`server reference manifest: ${id} has no exportedName`);
      return [id, exportedName];
    }),
  );
}

/** How many arguments the action with this id reads (the client drops the others); null when it takes a rest parameter. */
export function argumentsRead(actionId: string): number | null {
  const info = extractInfoFromServerReferenceId(actionId);
  return info.hasRestArgs ? null : info.usedArgs.lastIndexOf(true) + 1;
}

/*
 * A server action call's multipart body, as React (inside Next) writes and
 * reads it. With JavaScript, field "0" is the JSON argument list, a form
 * passed as React's reference "$K<n>". Without JavaScript the form names its
 * action: "$ACTION_ID_<id>", or "$ACTION_REF_<n>" with the bound action's
 * descriptor ({"id": …, "bound": …}, read with JSON.parse and React's reply
 * format) in "$ACTION_<n>:0".
 */
export const ARGUMENTS_FIELD = "0";
export const ACTION_ID_FIELD = "$ACTION_ID_";
export const ACTION_REF_FIELD = "$ACTION_REF_";

/** The field holding the bound action's descriptor of a "$ACTION_REF_<n>" field. */
export function boundActionField(refField: string): string {
  return `$ACTION_${refField.slice(ACTION_REF_FIELD.length)}:0`;
}

/** Whether an argument is React's reference to a form. */
export function isFormReference(value: unknown): boolean {
  return typeof value === "string" && /^\$K[0-9a-f]+$/.test(value);
}

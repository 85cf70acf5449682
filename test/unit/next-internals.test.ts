import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACTION_HEADER,
  ACTION_ID_FIELD,
  ACTION_NOT_FOUND_HEADER,
  ACTION_REF_FIELD,
  argumentsRead,
  boundActionField,
  IMAGE_OPTIMIZER_PATH,
  isFormReference,
  NEXT_VERSION,
  NOT_FOUND_ROUTE,
  OG_FONT_FILE,
  ROUTER_REQUEST_HEADERS,
  serverActionIds,
  serverReferenceManifestFile,
  STATIC_FILES_PATH,
  staticFilesDir,
} from "#lib/runtime/next-internals.ts";

/*
 * Pins lib/runtime/next-internals.ts to the installed Next: any other
 * version fails here, and so does any internal the installed one no longer
 * has. After an upgrade, check each item of that module against the new
 * Next, then move NEXT_VERSION.
 */
const root = resolve(import.meta.dirname, "../..");
const next = join(root, "node_modules/next");
const require = createRequire(join(root, "package.json"));
const dist = (file: string) => readFileSync(join(next, "dist", file), "utf8");
/** The values a compiled module of Next exports. */
const exported = (file: string) => Object.values(require(join(next, "dist", file)) as Record<string, unknown>);

describe("Next internals", () => {
  it("were checked against the installed Next", () => {
    const installed = (JSON.parse(readFileSync(join(next, "package.json"), "utf8")) as { version: string }).version;
    expect(installed, "Next was upgraded: check lib/runtime/next-internals.ts against it, then move NEXT_VERSION").toBe(NEXT_VERSION);
  });

  it("router and action header names are Next's", () => {
    const headers = exported("client/components/app-router-headers.js");
    for (const name of [...ROUTER_REQUEST_HEADERS, ACTION_HEADER, ACTION_NOT_FOUND_HEADER]) expect(headers, name).toContain(name);
    expect(require(join(next, "dist/client/components/app-router-headers.js"))).toMatchObject({ ACTION_HEADER, NEXT_ACTION_NOT_FOUND_HEADER: ACTION_NOT_FOUND_HEADER });
  });

  it("the build phase and worker markers are the ones Next sets", () => {
    expect(require(join(next, "constants.js"))).toMatchObject({ PHASE_PRODUCTION_BUILD: "phase-production-build" });
    expect(dist("lib/worker.js")).toContain("IS_NEXT_WORKER: 'true'");
    expect(dist("export/worker.js")).toContain("process.env.NEXT_IS_EXPORT_WORKER = 'true'");
  });

  it("the not-found route, the image optimizer and the static files are where Next puts them", () => {
    expect(exported("shared/lib/entry-constants.js")).toContain(NOT_FOUND_ROUTE);
    expect(dist("shared/lib/image-config.js")).toContain(`path: '${IMAGE_OPTIMIZER_PATH}'`);
    expect(require(join(next, "dist/shared/lib/constants.js"))).toMatchObject({ CLIENT_STATIC_FILES_PATH: "static" });
    expect(staticFilesDir("/b")).toBe("/b/static");
    expect(dist("server/lib/router-utils/filesystem.js")).toContain(`join('${STATIC_FILES_PATH}'`);
  });

  it("the build's manifests are named and laid out as Next writes them", () => {
    const constants = exported("shared/lib/constants.js");
    expect(constants).toContain("routes-manifest.json");
    expect(constants).toContain("server-reference-manifest");
    expect(dist("build/generate-routes-manifest.js")).toMatch(/staticRoutes[\s\S]*dynamicRoutes/);
    // `next dev` builds into a "dev" subfolder of distDir.
    expect(dist("server/config.js")).toContain("result.distDir = (0, _path.join)(result.distDir, 'dev')");
    expect(serverReferenceManifestFile("/b", true)).toBe("/b/dev/server/server-reference-manifest.json");
    expect(serverReferenceManifestFile("/b", false)).toBe("/b/server/server-reference-manifest.json");
  });

  it("server reference ids and the compiler's cache export names read as Next makes them", () => {
    // The id's first byte: the type bit (set: "use cache"), one bit per argument read (the first 6), a rest bit.
    const action = `40${"a".repeat(40)}`;
    const manifest = {
      node: {
        [action]: { exportedName: "subscribe" },
        // Either mark alone leaves a "use cache" function out.
        [`c0${"b".repeat(40)}`]: { exportedName: "cachedSnapshot" },
        [`00${"c".repeat(40)}`]: { exportedName: "$$RSC_SERVER_CACHE_0" },
      },
      edge: {},
    };
    expect([...serverActionIds(JSON.stringify(manifest))]).toEqual([action]);
    expect(argumentsRead(action)).toBe(1);
    expect(argumentsRead(`00${"a".repeat(40)}`)).toBe(0);
    expect(argumentsRead(`41${"a".repeat(40)}`)).toBeNull();
    expect(() => serverActionIds("{}")).toThrow(/node/);
    // The prefix is written by Next's compiler (SWC), a native binary or its wasm build.
    const swc = readdirSync(join(root, "node_modules/@next"))
      .filter((name) => name.startsWith("swc-"))
      .flatMap((name) => readdirSync(join(root, "node_modules/@next", name)).map((file) => join(root, "node_modules/@next", name, file)))
      .filter((file) => /\.(node|wasm)$/.test(file));
    expect(swc.length).toBeGreaterThan(0);
    for (const file of swc) expect(readFileSync(file).includes("$$RSC_SERVER_CACHE"), file).toBe(true);
  });

  it("server action form fields are React's, as Next ships it", () => {
    const server = dist("compiled/react-server-dom-turbopack/cjs/react-server-dom-turbopack-server.node.production.js");
    expect(server).toContain(`key.startsWith("${ACTION_ID_FIELD}")`);
    expect(server).toContain(`key.startsWith("${ACTION_REF_FIELD}")`);
    // "$ACTION_REF_<n>" names its descriptor "$ACTION_<n>:" + "0".
    expect(server).toContain(`(actionKey = "$ACTION_" + actionKey.slice(${ACTION_REF_FIELD.length}) + ":")`);
    expect(boundActionField(`${ACTION_REF_FIELD}3`)).toBe("$ACTION_3:0");
    const client = dist("compiled/react-server-dom-turbopack/cjs/react-server-dom-turbopack-client.node.production.js");
    expect(client).toContain('return "$K" + key.toString(16);');
    expect(isFormReference("$K1f")).toBe(true);
    expect(isFormReference("$1")).toBe(false);
  });

  it("the font next/og ships is where Candor reads it", () => {
    // A TrueType file: version 1.0.
    expect(readFileSync(join(root, OG_FONT_FILE)).subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
  });
});

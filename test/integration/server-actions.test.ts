/*
 * Every server reference in the build (each "use server" action and each
 * "use cache" function, which Next registers as one too), called anonymously
 * the way anyone could: POST with its id in the Next-Action header (or named
 * in a no-JavaScript multipart form), with several argument shapes.
 * Against the real production build and server, on a database holding
 * private values (an owner's address as an update's author, the sender
 * address, the mail token secret, an API key). No call may answer 500, and
 * no answer may carry a private value:
 *
 * - "use cache" functions are refused outright (proxy.ts): 404, Next's
 *   "action not found", and the function never runs;
 * - admin actions send the caller to sign-in and return nothing;
 * - the public forms' actions (subscribe, confirm, …) answer without data,
 *   and arguments that are not a form get a 400 (proxy.ts).
 *
 * And the "use cache" results themselves (what such a call would have
 * returned) hold no private value.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "#lib/domain/actors.ts";
import { createApiKey } from "#lib/domain/api-keys.ts";
import { seedDemo } from "../../scripts/demo-data.ts";
import { historyPage } from "#lib/public/history.ts";
import { incidentPage, statusPage } from "#lib/public/status-page.ts";
import { loadIncident, loadSnapshot } from "#lib/public/statuspage-v2.ts";
import { startPreparedServer, type NextServer } from "../support/next-server.ts";

const root = resolve(import.meta.dirname, "../..");
const OWNER_EMAIL = "owner.private@acme-internal.test";
const SENDER_EMAIL = "comms.private@acme-internal.test";
/* The admin area's public actions: signing in, accepting an invite. */
const PUBLIC_ADMIN = /^app\/admin\/(sign-in|invite\/\[token\])\//;

interface Reference {
  id: string;
  key: string;
  cached: boolean;
  /** A page whose module graph holds the reference (Next resolves an action through the page it is posted to). */
  page: string;
}

function referencesFromBuild(ids: { incident: string }): Reference[] {
  const distDir = process.env.NEXT_DIST_DIR || ".next-test";
  const manifest = JSON.parse(readFileSync(join(root, distDir, "server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, r]) => {
    const page = Object.keys(r.workers).find((w) => w.endsWith("/page")) ?? "app/page";
    return {
      id,
      key: `${r.filename}#${r.exportedName}`,
      cached: r.exportedName.startsWith("$$RSC_SERVER_CACHE"),
      page:
        page
          .replace(/^app/, "")
          .replace(/\/page$/, "")
          .replace(/\/\([^)]+\)/g, "")
          .replace("/[locale]", "")
          .replace("/[[...slug]]", "")
          .replace("[id]", ids.incident)
          .replace("[token]", "not-a-real-token-0000000000") || "/",
    };
  });
}

describe("server references called from outside", () => {
  let server: NextServer;
  let incidentId: string;
  let componentId: string;
  let secrets: string[];
  let cachedResults: string;

  beforeAll(async () => {
    server = await startPreparedServer({
      env: { CANDOR_WORKER: "off" },
      async prepare(db) {
        await seedDemo(db);
        const { token } = await createApiKey(db, { ...systemActor, name: OWNER_EMAIL }, { name: "private key", scope: "write" });
        await db.updateTable("page").set({ sender_email: SENDER_EMAIL }).execute();
        await db.updateTable("incident_updates").set({ created_by: OWNER_EMAIL }).execute();
        const incident = await db.selectFrom("incidents").select("id").where("status", "=", "identified").executeTakeFirstOrThrow();
        incidentId = incident.id;
        await db.updateTable("incidents").set({ postmortem_body: "DRAFT-POSTMORTEM-private" }).where("id", "=", incidentId).execute();
        componentId = (await db.selectFrom("components").select("id").executeTakeFirstOrThrow()).id;
        const mail = await db.selectFrom("mail_settings").select("token_secret").executeTakeFirst();
        const keyHash = (await db.selectFrom("api_keys").select("token_hash").executeTakeFirstOrThrow()).token_hash;
        // What the "use cache" functions (lib/public/cached.ts) return, computed in-process.
        cachedResults = JSON.stringify([
          await loadSnapshot(db),
          await loadIncident(db, incidentId),
          await statusPage(db),
          await incidentPage(db, incidentId),
          await historyPage(db, { page: 1 }),
        ]);
        secrets = [
          OWNER_EMAIL,
          SENDER_EMAIL,
          token,
          keyHash,
          "DRAFT-POSTMORTEM-private",
          ...(mail ? [mail.token_secret] : []),
          "created_by",
          "sender_email",
          "cadence_minutes",
          "token_secret",
          "mail_from",
        ];
      },
    });
  }, 120_000);

  afterAll(() => server?.stop());

  /** Argument lists as React would encode them (a JSON array), from plausible to hostile. */
  function argumentShapes(): string[] {
    return [
      "[]",
      '["x"]',
      JSON.stringify(["' OR 1=1 --", "../../etc/passwd", -1, true]),
      JSON.stringify([{ page: "x".repeat(100_000), component: { nested: ["y".repeat(1000)] }, __proto__: null }]),
      JSON.stringify([incidentId]),
      JSON.stringify([componentId]),
      JSON.stringify(["status.json"]),
      JSON.stringify([`incidents/${incidentId}.json`]),
      JSON.stringify(["rss", componentId]),
      JSON.stringify([{ page: 1 }]),
      JSON.stringify([{ page: 1, component: componentId }]),
    ];
  }

  /** A call as React makes it with JavaScript for a form action: multipart, the arguments in "0" ending in the form. */
  function formCall(fields: Record<string, string>, args = '[{},"$K1"]'): FormData {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.set(`_1_${k}`, v);
    form.set("0", args);
    return form;
  }

  async function call(path: string, id: string, body: string | FormData, withHeader = true) {
    const headers: Record<string, string> = { accept: "text/x-component", origin: server.url };
    if (withHeader) headers["next-action"] = id;
    if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  function expectNoSecret(body: string, what: string) {
    for (const secret of secrets) expect(body.includes(secret), `${what} shows ${secret}`).toBe(false);
  }

  it("the cached results hold no private value", () => {
    expect(cachedResults).toContain(incidentId);
    expectNoSecret(cachedResults, "a cached result");
  });

  it("finds the references in the build (not a vacuous pass)", () => {
    const references = referencesFromBuild({ incident: incidentId });
    expect(references.filter((r) => r.cached).length).toBeGreaterThanOrEqual(8);
    expect(references.filter((r) => r.key.startsWith("app/admin/")).length).toBeGreaterThanOrEqual(10);
  });

  it('"use cache" functions are refused as actions, whatever the arguments, and run no query', async () => {
    for (const reference of referencesFromBuild({ incident: incidentId }).filter((r) => r.cached)) {
      for (const path of new Set(["/", reference.page])) {
        for (const args of argumentShapes()) {
          const what = `${reference.key} at ${path} with ${args.slice(0, 60)}`;
          const response = await call(path, reference.id, args);
          expect(response.status, what).toBe(404);
          expect(response.headers.get("x-nextjs-action-not-found"), what).toBe("1");
          expectNoSecret(response.body, what);
        }
        // Multipart, as a client sends FormData arguments.
        expect((await call(path, reference.id, formCall({ id: incidentId }, JSON.stringify([incidentId])))).status, `${reference.key} multipart`).toBe(404);
        expect((await call(path, reference.id, formCall({ id: incidentId }))).status, `${reference.key} multipart form`).toBe(404);
        // No JavaScript: the action named in the form, no header.
        const mpa = new FormData();
        mpa.set(`$ACTION_ID_${reference.id}`, "");
        mpa.set("page", "x");
        const noJs = await call(path, reference.id, mpa, false);
        expect(noJs.status, `${reference.key} named in a form`).toBe(404);
        expectNoSecret(noJs.body, `${reference.key} named in a form`);
      }
    }
  }, 300_000);

  /** A no-JavaScript form post: the fields in order, no Next-Action header. */
  function noJsForm(fields: [string, string][]): FormData {
    const form = new FormData();
    for (const [name, value] of fields) form.append(name, value);
    form.append("page", "1");
    return form;
  }

  it('"use cache" functions are refused when a no-JavaScript form names them in a bound-action descriptor, whatever its JSON shape', async () => {
    const references = referencesFromBuild({ incident: incidentId });
    const ours = references.find((r) => r.key.endsWith("#subscribeAction"))!.id;
    // React reads "$ACTION_<n>:0" with JSON.parse and its reply format ("$1" is field "$ACTION_<n>:1"); Next 16.4
    // only checks that it starts with {"id":"<a known id>", so a second "id" key (JSON.parse keeps the last) runs anything.
    const descriptors = (id: string): [string, [string, string][]][] => [
      ["bound first", [["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"bound":null,"id":"${id}"}`]]],
      ["spaced", [["$ACTION_REF_1", ""], ["$ACTION_1:0", `{ "id" : "${id}" , "bound" : null }`]]],
      ["a $1 reference", [["$ACTION_REF_1", ""], ["$ACTION_1:0", '{"id":"$1","bound":null}'], ["$ACTION_1:1", JSON.stringify(id)]]],
      ["bound arguments", [["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${id}","bound":"$@1"}`], ["$ACTION_1:1", JSON.stringify([incidentId, { page: 1 }])]]],
      ["a second id", [["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${ours}","bound":null,"id":"${id}"}`]]],
      ["a second id, bound arguments", [["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${ours}","bound":"$@1","id":"${id}"}`], ["$ACTION_1:1", JSON.stringify([{ page: "x" }, "rss"])]]],
      // React takes the last action field: ours first, then the descriptor.
      ["a second id after our $ACTION_ID_", [[`$ACTION_ID_${ours}`, ""], ["$ACTION_REF_1", ""], ["$ACTION_1:0", `{"id":"${ours}","id":"${id}"}`]]],
    ];
    const logged = server.output().length;
    for (const reference of references.filter((r) => r.cached)) {
      for (const path of new Set(["/", reference.page])) {
        for (const [shape, fields] of descriptors(reference.id)) {
          const response = await call(path, reference.id, noJsForm(fields), false);
          const what = `${reference.key} at ${path}, ${shape}: ${response.status} ${response.body.slice(0, 200)}`;
          expect(response.status, what).toBe(404);
          expect(response.headers.get("x-nextjs-action-not-found"), what).toBe("1");
          expectNoSecret(response.body, what);
        }
      }
    }
    expect(server.output().slice(logged), "a refused call reached Next").toBe("");
  }, 300_000);

  it("a Next-Action header naming no action of ours is refused, like a cached function", async () => {
    for (const id of ["00" + "ab".repeat(20), "7f" + "00".repeat(20), "not-an-id"]) {
      const response = await call("/", id, "[]");
      expect(response.status, `"${id}"`).toBe(404);
      expect(response.headers.get("x-nextjs-action-not-found"), `"${id}"`).toBe("1");
    }
  });

  it("a multipart body that does not parse is a 400, not a 500, with or without a Next-Action header", async () => {
    const subscribe = referencesFromBuild({ incident: incidentId }).find((r) => r.key.endsWith("#subscribeAction"))!.id;
    const broken = `--XYZ\r\nContent-Disposition: form-data; name="$ACTION_ID_${subscribe}"\r\n\r\nx`;
    for (const [path, action] of [["/", null], ["/subscribe", null], ["/subscribe", subscribe]]) {
      const headers: Record<string, string> = { origin: server.url, "content-type": "multipart/form-data; boundary=XYZ" };
      if (action) headers["next-action"] = action;
      const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: broken, redirect: "manual" });
      expect(response.status, `${path} ${action ? "with" : "without"} the header`).toBe(400);
    }
  });

  it("our own forms still work without JavaScript: sign-in (a bound-action descriptor) and subscribe ($ACTION_ID_)", async () => {
    const formFields = async (path: string) => {
      const html = await (await fetch(`${server.url}${path}`)).text();
      return [...html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)].map(
        (m) => [m[1], (m[2] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&")] as [string, string],
      );
    };
    const signIn = await formFields("/admin/sign-in");
    expect(signIn.map(([name]) => name)).toContain("$ACTION_REF_1");
    const wrong = await call("/admin/sign-in", "", noJsForm([...signIn, ["email", "someone@example.com"], ["password", "not the password"]]), false);
    expect(wrong.status, wrong.body.slice(0, 300)).toBe(200);
    expect(wrong.body).toContain("Wrong email or password.");

    // The page has two forms (an address, a channel URL): each posts its own action.
    const fields = await formFields("/subscribe");
    const references = referencesFromBuild({ incident: incidentId });
    const only = (key: string) => {
      const id = references.find((r) => r.key.endsWith(key))!.id;
      expect(fields.map(([name]) => name)).toContain(`$ACTION_ID_${id}`);
      return fields.filter(([name]) => !name.startsWith("$ACTION_ID_") || name === `$ACTION_ID_${id}`);
    };
    const subscribed = await call("/subscribe", "", noJsForm([...only("#subscribeAction"), ["email", "reader@example.com"]]), false);
    expect(subscribed.status, subscribed.body.slice(0, 300)).toBe(303);
    expect(subscribed.headers.get("location")).toMatch(/\/subscribe\?result=sent$/);
    const channel = await call("/subscribe", "", noJsForm([...only("#subscribeChannelAction"), ["url", "not a url"]]), false);
    expect(channel.status, channel.body.slice(0, 300)).toBe(303);
    expect(channel.headers.get("location")).toMatch(/\/subscribe\?result=channel-invalid$/);
  });

  it("admin actions called anonymously send the caller to sign-in and return no data", async () => {
    for (const reference of referencesFromBuild({ incident: incidentId }).filter((r) => r.key.startsWith("app/admin/") && !PUBLIC_ADMIN.test(r.key))) {
      for (const path of new Set(["/", reference.page])) {
        for (const args of ["[]", '["x"]', JSON.stringify([{ id: incidentId }]), formCall({ id: incidentId, name: "x" })]) {
          const what = `${reference.key} at ${path} with ${typeof args === "string" ? args : "a form"}`;
          const response = await call(path, reference.id, args);
          expect(response.status, what).toBeLessThan(500);
          expectNoSecret(response.body, what);
          // The proxy's 307 (no session cookie) or 400 (arguments no form sends), the action's own redirect
          // to sign-in, or (posted to a page that does not hold it) Next forwards it and answers an empty object.
          const toSignIn = response.headers.get("location") ?? response.headers.get("x-action-redirect") ?? "";
          if (!/^(https?:\/\/[^/]+)?\/admin\/sign-in/.test(toSignIn) && response.status !== 400) expect(response.body, what).toBe("{}");
        }
      }
    }
  }, 300_000);

  it("the public forms' actions answer without a 500 or private data, whatever the arguments", async () => {
    const publicActions = referencesFromBuild({ incident: incidentId }).filter((r) => !r.cached && (!r.key.startsWith("app/admin/") || PUBLIC_ADMIN.test(r.key)));
    expect(publicActions.length).toBeGreaterThanOrEqual(4);
    for (const reference of publicActions) {
      // Arguments that are not a form: refused before the action runs.
      for (const args of [...argumentShapes(), formCall({}, "[]"), formCall({}, '["x"]'), formCall({}, "{not json"), formCall({}, '[{},"$K1",{"a":1}]')]) {
        const what = `${reference.key} with ${typeof args === "string" ? args.slice(0, 60) : `a form, "0" = ${String(args.get("0"))}`}`;
        const response = await call(reference.page, reference.id, args);
        expect(response.status, what).toBe(400);
        expectNoSecret(response.body, what);
      }
      // A form, with hostile or missing fields: the action answers (a redirect, a form error, a 404), never a 500.
      const hostile: Record<string, string>[] = [{}, { token: "x", email: "x", components: componentId }, { email: "a@b.test", password: "x".repeat(10_000), token: "' OR 1=1 --" }];
      for (const fields of hostile) {
        for (const args of ['["$K1"]', '[{},"$K1"]', '[{"values":{"email":"x"}},"$K1"]']) {
          const what = `${reference.key} with a form ${JSON.stringify(fields).slice(0, 60)} as ${args}`;
          const response = await call(reference.page, reference.id, formCall(fields, args));
          expect(response.status, what).toBeLessThan(500);
          expectNoSecret(response.body, what);
        }
      }
    }
  }, 300_000);

  it("the public pages and machine endpoints still work, and show no private value", async () => {
    for (const path of ["/", `/incidents/${incidentId}`, "/history", "/history?page=2", "/api/v2/summary.json", `/api/v2/incidents/${incidentId}.json`, "/history.rss", "/feed.json", "/maintenance.ics", "/badge.svg"]) {
      const response = await fetch(`${server.url}${path}`);
      const body = await response.text();
      expect(response.status, path).toBe(200);
      expectNoSecret(body, path);
    }
  });
});

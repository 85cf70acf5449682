import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { Db } from "#db/client.ts";
import { isAppError } from "#lib/core/errors.ts";
import type { Actor } from "#lib/domain/actors.ts";
import { invalidatePublic } from "#lib/runtime/invalidation.ts";
import { write } from "#lib/domain/write.ts";

vi.mock("#lib/runtime/invalidation.ts", () => ({ invalidatePublic: vi.fn() }));

/*
 * Every write in the domain has one shape (lib/domain/write.ts): role,
 * parsed input, one transaction with its audit entry, invalidation. Here
 * every top-level function in lib/domain and lib/auth that changes rows is
 * held to it: it goes through write(), or runs inside its caller's
 * transaction (its first parameter is a Tx), or is listed below with the
 * reason it cannot. Elsewhere in lib/ (the outbox's workers change rows
 * all day) a function that audits a change must do it through write().
 */
const root = resolve(import.meta.dirname, "../..");
const AREAS = ["lib/domain", "lib/auth"];
const HELPER = "lib/domain/write.ts";
const AUDIT = "lib/domain/audit.ts";

const ALLOWED: Record<string, string> = {
  "lib/domain/admin-users.ts:insertUser": "runs inside its caller's write, on the auth tables' view of that transaction (AuthDb)",
  "lib/domain/admin-users.ts:acceptInvite": "the invitee has no actor until the account it creates exists; it audits as that new user",
  "lib/domain/api-keys.ts:touchLastUsed": "stamps a key's last use while reading a request: bookkeeping, not a change anyone audits",
  "lib/domain/page-settings.ts:getPage": "creates the settings row with defaults on first read; idempotent",
  "lib/domain/templates.ts:ensureDefaultTemplates": "inserts the default templates where missing (seed, first start); idempotent",
  "lib/domain/uptime-rollups.ts:save": "stores figures computed from the status history: a cache, not a change",
  "lib/domain/subscribers/links.ts:tokenSecret": "creates the link secret once; idempotent",
  "lib/domain/subscribers/subscriptions.ts:acceptSubscription": "the public subscribe form: no actor, and an audit entry would keep the address",
  "lib/domain/subscribers/subscriptions.ts:enrol": "the public subscribe form's second step: no actor",
  "lib/domain/subscribers/channels.ts:subscribeChannel": "the public subscribe form for a channel URL: no actor; the endpoint confirms through a link sent to it",
  "lib/domain/subscribers/subscriptions.ts:confirmSubscription": "a subscriber's own confirm link: no actor",
  "lib/domain/subscribers/subscriptions.ts:updateSubscription": "a subscriber's own manage link: no actor; the link is checked before the input",
  "lib/domain/subscribers/subscriptions.ts:unsubscribe": "a subscriber's own unsubscribe link: no actor",
  "lib/domain/subscribers/subscriptions.ts:markUndeliverable": "the mail provider's bounce and complaint webhook: no actor",
  "lib/domain/subscribers/retention.ts:pruneSubscriberRecords": "the retention job erasing expired records: no actor, nothing public",
  "lib/domain/problem-reports.ts:submitReport": "the public report form: no actor, and an audit entry would keep the reporter's address",
  "lib/domain/problem-reports.ts:pruneReportAttempts": "the retention job: no actor, nothing public",
  "lib/domain/problem-reports.ts:pruneProblemReports": "the retention job erasing reports past REPORTS_KEPT_DAYS: no actor, nothing public",
  "lib/domain/report-alerts.ts:alertOnSpike": "runs after a public report: no actor; one insert claims the window, nothing public",
  "lib/domain/report-alerts.ts:pruneReportAlerts": "the retention job: no actor, nothing public",
  "lib/domain/report-followups.ts:optOutOfReportFollowups": "a reporter's own signed opt-out link: no actor, and an audit entry would keep the address",
  "lib/domain/report-followups.ts:pruneReportFollowups": "the retention job: no actor, nothing public",
  "lib/domain/metrics.ts:addMetricPoints": "measurements pushed by monitoring every minute: checked for the editor role, but data, not a change anyone audits",
  "lib/domain/metrics.ts:addMetricPointsBatch": "measurements, as addMetricPoints: several metrics' points in one transaction",
  "lib/domain/metrics.ts:pruneMetricRollups": "the retention job: no actor",
  "lib/domain/digests.ts:sendMonthlyDigest": "the clock's monthly digest: no actor; one insert claims the month, nothing public",
  "lib/auth/sessions.ts:authSecret": "creates the session signing secret once; idempotent",
  "lib/auth/sign-in-throttles.ts:claimSignInAttempt": "sign-in throttling before anyone is signed in: no actor",
  "lib/auth/sign-in-throttles.ts:forgiveSignInAttempts": "sign-in throttling: no actor",
  "lib/auth/sign-in-throttles.ts:pruneSignInThrottles": "the retention job: no actor",
};

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

interface Unit {
  id: string;
  node: ts.Node;
  firstParameterType: string | undefined;
}

/** Top-level functions and constants, by name. */
function units(file: string, source: ts.SourceFile): Unit[] {
  const out: Unit[] = [];
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      out.push({ id: `${file}:${statement.name.text}`, node: statement, firstParameterType: statement.parameters[0]?.type?.getText(source) });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer;
        const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
        out.push({ id: `${file}:${declaration.name.getText(source)}`, node: declaration, firstParameterType: fn?.parameters[0]?.type?.getText(source) });
      }
    }
  }
  return out;
}

const MUTATIONS = new Set(["insertInto", "updateTable", "deleteFrom", "mergeInto", "replaceInto"]);
const RAW_MUTATION = /\b(insert\s+into|update\s+\w+(\s+as\s+\w+)?\s+set|delete\s+from)\b/i;

/** Why a unit breaks the write shape, or null when it keeps it (or changes nothing). */
function breach(unit: Unit, source: ts.SourceFile): string | null {
  const transactions: ts.Node[] = [];
  const mutations: ts.Node[] = [];
  const audits: ts.Node[] = [];
  const invalidations: ts.Node[] = [];
  const writes: ts.Node[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee)) {
        if (callee.name.text === "transaction") transactions.push(node);
        if (MUTATIONS.has(callee.name.text)) mutations.push(node);
      } else if (ts.isIdentifier(callee)) {
        if (callee.text === "recordAudit") audits.push(node);
        if (callee.text === "invalidatePublic") invalidations.push(node);
        if (callee.text === "write") writes.push(node);
      }
    }
    if (ts.isIdentifier(node) && node.text === "invalidatePublic" && !ts.isCallExpression(node.parent)) invalidations.push(node);
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === "sql" && RAW_MUTATION.test(node.template.getText(source))) {
      mutations.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(unit.node);
  if (transactions.length + mutations.length + audits.length + invalidations.length === 0) return null;
  if (transactions.length > 0) return "opens its own transaction";
  if (audits.length > 0) return "records an audit entry itself";
  if (invalidations.length > 0) return "invalidates the public caches itself";
  if (writes.length > 0) {
    const inside = (node: ts.Node) => writes.some((w) => node.pos >= w.pos && node.end <= w.end);
    return mutations.every(inside) ? null : "changes rows outside its write()";
  }
  if (unit.firstParameterType === "Tx") return null;
  return "changes rows without write() or a caller's transaction";
}

function scan() {
  const breaches: Record<string, string> = {};
  let throughWrite = 0;
  for (const file of files("lib")) {
    if (file === HELPER || file === AUDIT) continue;
    const text = readFileSync(join(root, file), "utf8");
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const held = AREAS.some((area) => file.startsWith(`${area}/`));
    for (const unit of units(relative(root, join(root, file)), source)) {
      const found = breach(unit, source);
      if (found && (held || found === "records an audit entry itself")) breaches[unit.id] = found;
      else if (!found && /\bwrite\(/.test(unit.node.getText(source))) throughWrite++;
    }
  }
  return { breaches, throughWrite };
}

describe("the write shape", () => {
  const { breaches, throughWrite } = scan();

  it("every write in lib/domain and lib/auth, and every audited one in lib/, goes through write() or is allowed with a reason", () => {
    const unexplained = Object.entries(breaches)
      .filter(([id]) => !(id in ALLOWED))
      .map(([id, why]) => `${id}: ${why}`);
    expect(unexplained).toEqual([]);
  });

  it("the allow-list names only functions that still need it", () => {
    expect(Object.keys(ALLOWED).filter((id) => !(id in breaches))).toEqual([]);
  });

  it("finds the writes it checks (guards against a vacuous pass)", () => {
    expect(throughWrite).toBeGreaterThan(25);
  });
});

describe("write()", () => {
  const editor: Actor = { id: "e", name: "editor@example.com", source: "session", role: "editor" };
  const viewer: Actor = { ...editor, role: "viewer" };
  const schema = z.object({ name: z.string().min(1, "is required") });
  let log: string[];
  let db: Db;

  beforeEach(() => {
    log = [];
    vi.mocked(invalidatePublic).mockClear();
    const trx = {
      insertInto: (table: string) => ({
        values: (row: { action: string; actor: string }) => ({ execute: async () => void log.push(`${table}: ${row.action} by ${row.actor}`) }),
      }),
    };
    db = {
      transaction: () => ({
        execute: async (fn: (t: typeof trx) => Promise<unknown>) => {
          log.push("begin");
          try {
            const result = await fn(trx);
            log.push("commit");
            return result;
          } catch (error) {
            log.push("rollback");
            throw error;
          }
        },
      }),
    } as unknown as Db;
  });

  async function thing(actor: Actor, input: unknown, options: { public: boolean; fail?: boolean; audited?: boolean }) {
    return write(db, actor, input, {
      role: "editor",
      schema,
      public: options.public,
      async change(_trx, data) {
        log.push(`change ${data.name}`);
        if (options.fail) throw new Error("boom");
        return { result: data.name, audit: options.audited === false ? null : { action: "thing.create", subjectType: "thing" } };
      },
    });
  }

  it("checks the role first, then the input, before opening a transaction", async () => {
    const forbidden = await thing(viewer, {}, { public: true }).catch((e: unknown) => e);
    expect(isAppError(forbidden, "forbidden")).toBe(true);
    const invalid = await thing(editor, {}, { public: true }).catch((e: unknown) => e);
    expect(isAppError(invalid, "invalid_input") && invalid.issues.map((i) => i.field)).toEqual(["name"]);
    expect(log).toEqual([]);
    expect(invalidatePublic).not.toHaveBeenCalled();
  });

  it("records the audit entry inside the change's transaction, then invalidates", async () => {
    expect(await thing(editor, { name: "a" }, { public: true })).toBe("a");
    expect(log).toEqual(["begin", "change a", "audit_entries: thing.create by editor@example.com", "commit"]);
    expect(invalidatePublic).toHaveBeenCalledTimes(1);
  });

  it("audits nothing when the change reports nothing changed, and leaves admin-only writes' caches alone", async () => {
    await thing(editor, { name: "b" }, { public: false, audited: false });
    expect(log).toEqual(["begin", "change b", "commit"]);
    expect(invalidatePublic).not.toHaveBeenCalled();
  });

  it("a failed change rolls back with no audit entry, and the caches are still invalidated", async () => {
    await expect(thing(editor, { name: "c" }, { public: true, fail: true })).rejects.toThrow("boom");
    expect(log).toEqual(["begin", "change c", "rollback"]);
    expect(invalidatePublic).toHaveBeenCalledTimes(1);
  });
});

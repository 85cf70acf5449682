import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { systemActor, type Actor } from "#lib/domain/actors.ts";
import { createUser } from "#lib/domain/admin-users.ts";
import { hasDigest, sendMonthlyDigest, setDigest } from "#lib/domain/digests.ts";
import { AppError } from "#lib/core/errors.ts";
import { engines, freshDatabase } from "../support/databases.ts";

/* The monthly reliability digest: opt-in per owner, sent once per month through the mailer (the local outbox here). */
describe.each(engines)("the monthly digest on %s", (engine) => {
  let h: DbHandle;
  let owner: Actor;
  const sent = () => h.db.selectFrom("outbox_emails").select(["recipient", "subject", "text"]).orderBy("recipient").execute();

  beforeAll(async () => {
    h = await freshDatabase(engine);
    const user = await createUser(h.db, systemActor, { email: "owner@digest.test", password: "digest-password-1", role: "owner" });
    await createUser(h.db, systemActor, { email: "other@digest.test", password: "digest-password-1", role: "owner" });
    const editor = await createUser(h.db, systemActor, { email: "editor@digest.test", password: "digest-password-1", role: "editor" });
    owner = { id: user.id, name: user.email, source: "session", role: "owner" };
    const refused = await setDigest(h.db, { id: editor.id, name: editor.email, source: "session", role: "editor" }, { enabled: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
  });
  afterAll(async () => h?.close());

  it("sends nothing and claims no month while nobody opted in", async () => {
    expect(await sendMonthlyDigest(h.db, new Date("2026-11-02T08:00:00Z"))).toBe(0);
    expect(await h.db.selectFrom("digest_sends").selectAll().execute()).toEqual([]);
  });

  it("sends last month's figures once to the owners who opted in", async () => {
    await setDigest(h.db, owner, { enabled: true });
    expect(await hasDigest(h.db, owner.id)).toBe(true);
    const now = new Date("2026-11-02T08:00:00Z");
    expect(await sendMonthlyDigest(h.db, now)).toBe(1);
    expect(await sendMonthlyDigest(h.db, now)).toBe(0);
    const emails = await sent();
    expect(emails.map((e) => [e.recipient, e.subject])).toEqual([["owner@digest.test", "[Candor] Reliability in October 2026"]]);
    expect(emails[0].text).toContain("Incidents: 0 (0)");
    expect(emails[0].text).toContain("/admin/reliability?month=2026-10");
    const audit = await h.db.selectFrom("audit_entries").select("action").where("action", "=", "user.digest").execute();
    expect(audit).toHaveLength(1);
  });

  it("stops when the owner opts out", async () => {
    await setDigest(h.db, owner, { enabled: false });
    expect(await sendMonthlyDigest(h.db, new Date("2026-12-02T08:00:00Z"))).toBe(0);
    expect(await sent()).toHaveLength(1);
  });
});

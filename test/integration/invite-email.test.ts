import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.ts";
import { createInvite, emailInvite } from "#lib/domain/admin-users.ts";
import { systemActor } from "#lib/domain/actors.ts";
import { startResendServer } from "../support/resend-server.ts";
import { engines, freshDatabase } from "../support/databases.ts";

/* Invites are shown to the owner and emailed too: through Resend, or to the local outbox without a key. */
describe.each(engines)("invite emails on %s", (engine) => {
  let h: DbHandle;
  const saved = { key: process.env.RESEND_API_KEY, base: process.env.RESEND_BASE_URL };
  beforeAll(async () => {
    h = await freshDatabase(engine);
  });
  afterAll(async () => {
    process.env.RESEND_API_KEY = saved.key;
    process.env.RESEND_BASE_URL = saved.base;
    if (saved.key === undefined) delete process.env.RESEND_API_KEY;
    if (saved.base === undefined) delete process.env.RESEND_BASE_URL;
    await h?.close();
  });

  it("goes to the local outbox without RESEND_API_KEY, without its link (every admin role reads the outbox)", async () => {
    delete process.env.RESEND_API_KEY;
    const { invite, path, token } = await createInvite(h.db, systemActor, { email: "new.lead@example.com", role: "editor" });
    expect(await emailInvite(h.db, invite, `https://status.example.com${path}`)).toBe(true);
    const stored = await h.db.selectFrom("outbox_emails").selectAll().where("recipient", "=", "new.lead@example.com").execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].subject).toMatch(/invite/i);
    expect(stored[0].html).toContain("https://status.example.com/admin/invite/redacted");
    expect(JSON.stringify(stored[0])).not.toContain(token);
    expect(stored[0].text).toContain("as editor");
  });

  it("sends through the Resend SDK once per invite, even when retried", async () => {
    const resend = await startResendServer({ apiKey: "re_test_invite" });
    try {
      process.env.RESEND_API_KEY = "re_test_invite";
      process.env.RESEND_BASE_URL = resend.url;
      const { invite, path } = await createInvite(h.db, systemActor, { email: "viewer@example.com", role: "viewer" });
      const url = `https://status.example.com${path}`;
      expect(await emailInvite(h.db, invite, url)).toBe(true);
      expect(await emailInvite(h.db, invite, url)).toBe(true);
      const sent = resend.server.emails.filter((e) => e.to.includes("viewer@example.com"));
      expect(sent).toHaveLength(1);
      expect(sent[0].html).toContain(url);
      expect(sent[0].idempotencyKey).toBe(`invite/${invite.id}`);
    } finally {
      await resend.close();
    }
  });

  it("reports a failed send instead of pretending", async () => {
    process.env.RESEND_API_KEY = "re_wrong_key";
    const resend = await startResendServer({ apiKey: "re_right_key" });
    try {
      process.env.RESEND_BASE_URL = resend.url;
      const { invite, path } = await createInvite(h.db, systemActor, { email: "third@example.com", role: "viewer" });
      expect(await emailInvite(h.db, invite, `https://status.example.com${path}`)).toBe(false);
    } finally {
      await resend.close();
    }
  });
});

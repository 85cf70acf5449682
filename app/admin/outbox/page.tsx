import type { Metadata } from "next";
import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { AdminTable } from "#components/admin/admin-table.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { getMailSettings } from "#lib/delivery/mail-settings.ts";
import { listDeliveries, listOutboxEmails, recentSends } from "#lib/delivery/outbox.ts";
import { sendRate } from "#lib/delivery/mailer.ts";
import { mailSettingsAction, retryFailedAction } from "./actions.ts";

export const metadata: Metadata = { title: "Outbox" };

const ZONE = "Etc/UTC";

/* Sending progress per update, recent deliveries, and (without RESEND_API_KEY) the emails as they would have gone out. */
export default async function OutboxPage() {
  const { db, actor } = await requireSession("viewer");
  const [sends, deliveries, settings, outbox] = await Promise.all([
    recentSends(db),
    listDeliveries(db, { limit: 50 }),
    getMailSettings(db),
    listOutboxEmails(db, actor, 50),
  ]);
  const sending = sends.some((s) => s.queued + s.sending > 0);
  const demo = !process.env.RESEND_API_KEY;
  return (
    <div className="space-y-6">
      {/* Live progress without JavaScript while anything is still being sent. */}
      {sending ? <meta httpEquiv="refresh" content="5" /> : null}
      <h1 className="text-2xl font-semibold">Outbox</h1>
      <p className="text-sm text-gray-700">
        {demo
          ? "Demo mode: no RESEND_API_KEY is set, so emails are kept here instead of being sent."
          : `Sending through Resend at up to ${sendRate()} requests/second, shared by all workers.`}{" "}
        Mode: <strong>{settings.mode}</strong>
        {settings.mode === "auto" ? ` (one email per request with the timeline attached while that takes under ${settings.targetSeconds} s; batches of 100 beyond)` : ""}.
      </p>
      <AdminSection id="sends-heading" title="Updates sent to subscribers">
        <AdminTable
          rows={sends}
          rowKey={(s) => s.update_id}
          empty="No update has notified subscribers yet."
          columns={[
            {
              header: "Update",
              rowHeader: true,
              cell: (s) => (
                <>
                  {s.reference} {s.name} · {s.update_status} · <Time date={s.created_at} zone={ZONE} />
                  <progress className="mt-1 block w-full" max={s.total} value={s.sent + s.failed + s.superseded + s.bounced}>
                    {s.sent} of {s.total}
                  </progress>
                </>
              ),
            },
            { header: "Mode", cell: (s) => s.mode },
            { header: "Queued", cell: (s) => s.queued },
            { header: "Sending", cell: (s) => s.sending },
            { header: "Sent", cell: (s) => s.sent },
            {
              header: "Failed",
              cell: (s) => (
                <>
                  {s.failed}
                  {s.failed > 0 && actor.role !== "viewer" ? (
                    <form action={retryFailedAction} className="inline">
                      <input type="hidden" name="updateId" value={s.update_id} />{" "}
                      <button type="submit" className="rounded bg-gray-800 px-2 py-0.5 text-white">
                        Retry failed
                      </button>
                    </form>
                  ) : null}
                </>
              ),
            },
            { header: "Superseded", cell: (s) => s.superseded },
            { header: "Bounced", cell: (s) => s.bounced },
          ]}
        />
      </AdminSection>
      <AdminSection id="deliveries-heading" title="Recent deliveries">
        <AdminTable
          rows={deliveries}
          rowKey={(d) => String(d.id)}
          empty="Nothing has been queued yet."
          columns={[
            { header: "To", cell: (d) => d.email },
            { header: "What", cell: (d) => (d.kind === "confirmation" ? "confirmation" : `${d.reference ?? ""} ${d.incident_name ?? ""}`) },
            { header: "Status", cell: (d) => d.status },
            { header: "Attempts", cell: (d) => d.attempts },
            { header: "Last error", className: "text-gray-700", cell: (d) => d.last_error ?? "" },
          ]}
        />
      </AdminSection>
      {outbox.length > 0 ? (
        <AdminSection id="local-outbox-heading" title="Local outbox">
          <ul className="space-y-1 text-sm">
            {outbox.map((e) => (
              <li key={e.id}>
                <a href={`/admin/outbox/${e.id}`} className="text-blue-800 underline">
                  {e.subject}
                </a>{" "}
                to {e.recipient} · <Time date={e.created_at} zone={ZONE} />
              </li>
            ))}
          </ul>
        </AdminSection>
      ) : null}
      {actor.role === "owner" ? (
        <AdminSection id="sending-mode-heading" title="Sending mode" boxed>
          <ActionForm
            action={mailSettingsAction}
            submitLabel="Save"
            fields={[
              {
                name: "mode",
                label: "Mode",
                type: "select",
                defaultValue: settings.mode,
                options: [
                  { value: "auto", label: "auto: attach while under the target, batch beyond" },
                  { value: "attach", label: "attach: one request per email, timeline attached" },
                  { value: "batch", label: "batch: 100 emails per request, timeline in the body and linked" },
                ],
              },
              { name: "targetSeconds", label: "Target delivery time (seconds)", type: "number", defaultValue: String(settings.targetSeconds) },
            ]}
          />
        </AdminSection>
      ) : null}
    </div>
  );
}

import type { Metadata } from "next";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { AdminTable, type AdminColumn } from "#components/admin/admin-table.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { CHANNEL_EVENTS, channelEventMeta, channelMeta, ENDPOINT_CHANNELS } from "#lib/core/channels.ts";
import { LOCALE_NAMES } from "#lib/core/locales.ts";
import { listComponents } from "#lib/domain/components.ts";
import { getPage } from "#lib/domain/page-settings.ts";
import { listChannelSubscribers, type ChannelSubscriber } from "#lib/domain/subscribers/channels.ts";
import { createChannel, reenableChannel, removeChannel, sendTest } from "./actions.ts";
import { CreateChannelForm, SendTestForm } from "./channel-forms.tsx";

export const metadata: Metadata = { title: "Channels" };

const ZONE = "Etc/UTC";

/* Webhook, Slack, Discord and Teams subscribers: viewers see them, editors add, test, re-enable and remove them. */
export default async function ChannelsPage() {
  const { db, actor } = await requireSession("viewer");
  const [rows, components, page] = await Promise.all([listChannelSubscribers(db, actor), listComponents(db), getPage(db)]);
  // The default locale first: the form's preselected choice.
  const locales = [page.default_locale, ...page.locales.filter((l) => l !== page.default_locale)];
  const canEdit = actor.role !== "viewer";
  const names = new Map(components.map((c) => [c.id, c.name]));
  const label = (s: ChannelSubscriber) => `${channelMeta[s.channel].label} on ${s.host}`;
  const columns: AdminColumn<ChannelSubscriber>[] = [
    { header: "Endpoint", rowHeader: true, cell: (s) => label(s) },
    { header: "Format", cell: (s) => (s.channel === "webhook" ? (s.format ?? "candor") : "native") },
    { header: "Events", cell: (s) => s.events.map((e) => channelEventMeta[e].label).join(", ") },
    { header: "Components", cell: (s) => (s.all_components ? "All" : s.components.map((id) => names.get(id) ?? id).join(", ")) },
    { header: "Language", cell: (s) => LOCALE_NAMES[s.locale] },
    {
      header: "Status",
      cell: (s) => (
        <div>
          <strong className={s.status === "quarantined" ? "text-red-800" : ""}>{s.status}</strong>
          {s.quarantined_at ? (
            <>
              {" "}
              since <Time date={s.quarantined_at} zone={ZONE} />
            </>
          ) : null}
          {s.failures > 0 ? <div>{s.failures} failed attempts in a row</div> : null}
          {s.last_error ? <div className="text-sm text-gray-700">Last error: {s.last_error}</div> : null}
          {s.last_response ? <div className="text-sm text-gray-700">Response: {s.last_response}</div> : null}
        </div>
      ),
    },
    { header: "Added", cell: (s) => <Time date={s.created_at} zone={ZONE} /> },
  ];
  if (canEdit) {
    columns.push({
      header: "Actions",
      hideHeader: true,
      cell: (s) => (
        <div className="space-y-2">
          <SendTestForm id={s.id} label={label(s)} action={sendTest} />
          {s.status === "quarantined" ? (
            <form action={reenableChannel}>
              <input type="hidden" name="id" value={s.id} />
              <button type="submit" aria-label={`Re-enable ${label(s)}`} className="rounded bg-blue-700 px-2 py-1 font-medium text-white">
                Re-enable
              </button>
            </form>
          ) : null}
          <form action={removeChannel}>
            <input type="hidden" name="id" value={s.id} />
            <button type="submit" aria-label={`Remove ${label(s)}`} className="rounded bg-red-700 px-2 py-1 font-medium text-white">
              Remove
            </button>
          </form>
        </div>
      ),
    });
  }
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Channels</h1>
        <p className="mt-1 max-w-2xl text-gray-700">
          Webhook, Slack, Discord and Microsoft Teams endpoints hear about incidents, maintenance and component status changes
          through the same outbox as email. A URL is shown only when it is added (Slack and Discord URLs are credentials);
          an endpoint that keeps failing is quarantined until re-enabled here.
        </p>
      </div>
      {canEdit ? (
        <AdminSection id="add-channel" title="Add a channel subscriber" boxed>
          <CreateChannelForm
            action={createChannel}
            components={components.map((c) => ({ value: c.id, label: c.name }))}
            events={CHANNEL_EVENTS.map((e) => ({ value: e, label: channelEventMeta[e].label }))}
            channels={ENDPOINT_CHANNELS.map((c) => ({ value: c, label: channelMeta[c].label }))}
            locales={locales.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
          />
        </AdminSection>
      ) : null}
      <AdminSection id="channels" title={`Channel subscribers (${rows.length})`}>
        <AdminTable rows={rows} rowKey={(s) => s.id} rowClassName={(s) => (s.status === "quarantined" ? "bg-red-50" : "")} empty="No channel subscribers yet." columns={columns} />
      </AdminSection>
    </div>
  );
}

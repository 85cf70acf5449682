import { ActionForm } from "#components/admin/action-form.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { cadenceFor, getPage } from "#lib/domain/page-settings.ts";
import { SEVERITIES } from "#lib/core/statuses.ts";
import { saveSettingsAction } from "./actions.ts";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { db } = await requireSession("owner");
  const page = await getPage(db);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Page settings</h1>
      <ActionForm
        action={saveSettingsAction}
        submitLabel="Save settings"
        fields={[
          { name: "name", label: "Page name", defaultValue: page.name },
          { name: "url", label: "Public URL", type: "url", defaultValue: page.url },
          { name: "timeZone", label: "Time zone (IANA, e.g. Europe/Berlin)", defaultValue: page.time_zone },
          { name: "logoUrl", label: "Logo URL", type: "url", defaultValue: page.logo_url ?? "" },
          { name: "supportUrl", label: "Support URL", type: "url", defaultValue: page.support_url ?? "" },
          { name: "senderEmail", label: "Sender address for subscriber emails", type: "email", defaultValue: page.sender_email ?? "" },
          {
            name: "reportsEnabled",
            label: "Let customers report a problem (/report, linked from every public page)",
            type: "checkbox",
            defaultValue: page.reports_enabled ? "on" : "",
          },
          {
            name: "reportsChallenge",
            label: "Ask report senders' browsers for a proof of work (stops floods; reporting then needs JavaScript)",
            type: "checkbox",
            defaultValue: page.reports_challenge ? "on" : "",
          },
          ...SEVERITIES.map((s) => ({
            name: `cadence.${s}`,
            label: `${s}: minutes between public updates (empty: no promise)`,
            type: "number" as const,
            defaultValue: String(cadenceFor(page, s) ?? ""),
          })),
        ]}
      />
    </div>
  );
}

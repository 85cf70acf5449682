import { ActionForm } from "#components/admin/action-form.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { cadenceFor, getPage } from "#lib/domain/page-settings.ts";
import { LOCALE_NAMES, LOCALES } from "#lib/core/locales.ts";
import { SEVERITIES } from "#lib/core/statuses.ts";
import { TARGET_KINDS, TARGET_LABELS, TARGET_UNITS, targetsFor } from "#lib/core/milestones.ts";
import { hasDigest } from "#lib/domain/digests.ts";
import { saveDigestAction, saveSettingsAction, saveTargetsAction } from "./actions.ts";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const { db, actor } = await requireSession("owner");
  const [page, digest] = await Promise.all([getPage(db), hasDigest(db, actor.id)]);
  const targets = targetsFor(page.targets);
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
          {
            name: "defaultLocale",
            label: "Default language (served at the unprefixed URLs; readers who prefer another offered language are sent to it)",
            type: "select",
            options: LOCALES.map((l) => ({ value: l, label: `${LOCALE_NAMES[l]} (${l})` })),
            defaultValue: page.default_locale,
          },
          {
            name: "locales",
            label: "Languages offered on the public pages (each at /<language>/…)",
            type: "checkboxes",
            options: LOCALES.map((l) => ({ value: l, label: `${LOCALE_NAMES[l]} (${l})` })),
            defaultValue: page.locales.join(","),
          },
          ...SEVERITIES.map((s) => ({
            name: `cadence.${s}`,
            label: `${s}: minutes between public updates (empty: no promise)`,
            type: "number" as const,
            defaultValue: String(cadenceFor(page, s) ?? ""),
          })),
        ]}
      />
      <h2 id="targets" className="pt-4 text-xl font-semibold">
        Targets per severity
      </h2>
      <p className="text-sm text-gray-700">
        Response targets count from detection, the postmortem from resolution; empty: no target. The defaults are the runbooks&apos; table
        (docs/measures.md). The incident list and pages show them met, due soon or missed; the reliability report measures against them.
      </p>
      <ActionForm
        action={saveTargetsAction}
        submitLabel="Save targets"
        idPrefix="targets"
        fields={SEVERITIES.flatMap((s) =>
          TARGET_KINDS.map((k) => {
            const value = targets[s][k];
            return {
              name: `target.${s}.${k}`,
              label: `${s}: ${TARGET_LABELS[k].toLowerCase()} within (${TARGET_UNITS[k].unit})`,
              type: "number" as const,
              defaultValue: value === null ? "" : String(value / TARGET_UNITS[k].minutes),
            };
          }),
        )}
      />
      <h2 id="digest" className="pt-4 text-xl font-semibold">
        Monthly reliability digest
      </h2>
      <ActionForm
        action={saveDigestAction}
        submitLabel="Save digest choice"
        idPrefix="digest"
        fields={[
          {
            name: "digest",
            label: "Email me last month's reliability figures on the 1st of each month",
            type: "checkbox",
            defaultValue: digest ? "on" : "",
          },
        ]}
      />
    </div>
  );
}

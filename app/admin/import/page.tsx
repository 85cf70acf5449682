import type { Metadata } from "next";
import { ActionForm } from "#components/admin/action-form.tsx";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { Time } from "#components/time.tsx";
import { requireSession } from "#lib/auth/sessions.ts";
import { listImportRuns } from "#lib/imports/statuspage/runs.ts";
import { startImportAction } from "./actions.ts";

export const metadata: Metadata = { title: "Import from Statuspage" };

const ZONE = "Etc/UTC";

/* Owners: bring a Statuspage page's components, history, subscribers and templates here (README, "Moving from Statuspage"). */
export default async function ImportPage() {
  const { db } = await requireSession("owner");
  const runs = await listImportRuns(db);
  const running = runs.some((r) => r.status === "running");
  return (
    <div className="space-y-6">
      {/* While a run is going, the page reloads itself every few seconds: progress without JavaScript. */}
      {running ? <meta httpEquiv="refresh" content="3" /> : null}
      <div>
        <h1 className="text-2xl font-semibold">Import from Statuspage</h1>
        <p className="mt-1 max-w-2xl text-gray-700">
          Brings in groups and components in their order, every incident and maintenance with its whole timeline and postmortem, active email
          subscribers and templates. Nobody is notified. Running it again adds only what is new, so import now and again just before switching.
        </p>
      </div>
      <AdminSection id="from-management-api" title="With an API key (everything)" boxed>
        <ActionForm
          action={startImportAction}
          submitLabel="Import with the key"
          idPrefix="management"
          fields={[
            { name: "mode", label: "Mode", type: "hidden", defaultValue: "management" },
            { name: "pageId", label: "Statuspage page id", help: "In Statuspage: Your page → API info." },
            { name: "key", label: "API key", type: "password", autoComplete: "off", help: "Used for this import only; never stored." },
            { name: "api", label: "API base URL", type: "url", defaultValue: "https://api.statuspage.io/v1" },
          ]}
        />
      </AdminSection>
      <AdminSection id="from-public-page" title="Without a key (the public page)" boxed>
        <p className="text-sm text-gray-700">Sees only the 50 most recent incidents and maintenances, and no subscribers or templates.</p>
        <ActionForm
          action={startImportAction}
          submitLabel="Import the public page"
          idPrefix="public"
          fields={[
            { name: "mode", label: "Mode", type: "hidden", defaultValue: "public" },
            { name: "url", label: "Status page URL", type: "url", help: "e.g. https://status.example.com" },
          ]}
        />
      </AdminSection>
      <AdminSection id="runs" title="Imports">
        {runs.length === 0 ? <p>No imports yet.</p> : null}
        <ul className="space-y-3">
          {runs.map((run) => (
            <li key={run.id} className="rounded border border-gray-300 bg-white p-3">
              <p className="font-medium">
                {run.target} <span className="text-sm text-gray-700">· {run.status} · started by {run.started_by} at <Time date={run.created_at} zone={ZONE} /></span>
              </p>
              {run.status === "running" ? <pre className="mt-1 whitespace-pre-wrap text-sm" role="status">{run.progress || "Starting…"}</pre> : null}
              {run.error ? <p className="mt-1 text-sm text-red-800" role="alert">{run.error}</p> : null}
              {run.report ? (
                <div className="mt-1 text-sm">
                  <p>Imported: {Object.entries(run.report.created).map(([k, n]) => `${n} ${k}`).join(", ")}.</p>
                  <p>Already there: {Object.entries(run.report.skipped).map(([k, n]) => `${n} ${k}`).join(", ")}.</p>
                  {[...run.report.warnings.map((w) => `Note: ${w}`), ...run.report.unseen.map((u) => `Not seen: ${u}`)].map((line) => (
                    <p key={line} className="text-gray-700">
                      {line}
                    </p>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      </AdminSection>
    </div>
  );
}

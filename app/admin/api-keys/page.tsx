import type { Metadata } from "next";
import { AdminSection } from "#components/admin/admin-section.tsx";
import { AdminTable } from "#components/admin/admin-table.tsx";
import { Time } from "#components/time.tsx";
import { listApiKeys } from "#lib/domain/api-keys.ts";
import { requireSession } from "#lib/auth/sessions.ts";
import { createKey, revokeKey } from "./actions.ts";
import { CreateKeyForm } from "./create-key-form.tsx";

export const metadata: Metadata = { title: "API keys" };

const ZONE = "Etc/UTC";

type ApiKeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

/* Owners only: keys let alerting tools and scripts use the management API (/api/v1). */
export default async function ApiKeysPage() {
  const { db } = await requireSession("owner");
  const keys = await listApiKeys(db);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 max-w-2xl text-gray-700">
          Keys authenticate alerting tools and scripts on the{" "}
          <a href="/api/v1/openapi.json" className="text-blue-800 underline">
            management API
          </a>{" "}
          (<code>Authorization: Bearer &lt;key&gt;</code>). A read key lists and reads; a write key can also declare
          incidents, post updates, change component statuses and schedule maintenance. Their writes appear in the audit
          log under the key&apos;s name.
        </p>
      </div>
      <AdminSection id="create-key" title="Create a key" boxed>
        <CreateKeyForm action={createKey} />
      </AdminSection>
      <AdminSection id="keys" title="Keys">
        <AdminTable
          rows={keys}
          rowKey={(key) => key.id}
          rowClassName={(key) => (key.revoked_at ? "text-gray-600" : "")}
          empty="No API keys yet."
          columns={[
            { header: "Name", rowHeader: true, cell: (key) => key.name },
            { header: "Scope", cell: (key) => key.scope },
            { header: "Key", className: "font-mono", cell: (key) => `${key.token_prefix}…` },
            {
              header: "Created",
              cell: (key) => (
                <>
                  <Time date={key.created_at} zone={ZONE} /> by {key.created_by}
                </>
              ),
            },
            { header: "Last used", cell: (key) => (key.last_used_at ? <Time date={key.last_used_at} zone={ZONE} /> : "never") },
            { header: "Actions", hideHeader: true, cell: (key) => <RevokeCell keyRow={key} /> },
          ]}
        />
      </AdminSection>
    </div>
  );
}

/* Two steps, without JavaScript: revoking breaks whatever uses the key, at once. */
function RevokeCell({ keyRow: key }: { keyRow: ApiKeyRow }) {
  if (key.revoked_at) {
    return (
      <span>
        Revoked <Time date={key.revoked_at} zone={ZONE} />
        {key.revoked_by ? ` by ${key.revoked_by}` : ""}
      </span>
    );
  }
  return (
    <details>
      <summary className="cursor-pointer text-red-800 underline" aria-label={`Revoke ${key.name}…`}>
        Revoke…
      </summary>
      <form action={revokeKey} className="mt-1">
        <input type="hidden" name="id" value={key.id} />
        <p className="text-gray-700">Anything using this key stops working immediately.</p>
        <button type="submit" aria-label={`Revoke ${key.name} now`} className="mt-1 rounded bg-red-700 px-2 py-1 font-medium text-white hover:bg-red-800">
          Revoke now
        </button>
      </form>
    </details>
  );
}
